"""The sample class and the instructor pipeline that ``make demo`` runs."""
