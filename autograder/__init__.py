"""Grading for the backprop course: hidden checks, rubric, sandbox, nbgrader plumbing.

Never released to students. Its modules, one concern each, are mapped in README.md
("What is where"), the one place the layout is described.
"""
