"""Every write of the governance app, one function per use case, split by entity:

- ``bodies``  bodies, terms, members joining, leaving and being replaced

Each function takes keyword-only parameters, runs in one transaction and leaves audit entries.
"""
