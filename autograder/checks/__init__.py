"""Hidden pytest checks: one module per graded part (see autograder.rubric)."""
