"""``backprop-kit grade``: grade submitted notebooks in sandboxed workers (modules:
README.md, "What is where")."""
