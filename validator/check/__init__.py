"""Checking exchanges against contracts: the checker, rules, state across polls, lint."""
