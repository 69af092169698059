"""Solver jobs: routes, the runner, the registry of job kinds, handlers, instance builders."""
