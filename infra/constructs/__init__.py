"""Resource groups of the Sunlight stack.

Each group adds its resources directly to the stack scope (it is not a nested construct), so
logical ids start with the construct ids of infra/constants.py, which the local runner and the
tests look resources up by.
"""
