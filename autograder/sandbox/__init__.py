"""Running student code where it cannot reach the grader (modules: README.md, "What is
where")."""
