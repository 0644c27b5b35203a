"""Tests of the rule families: every runtime helper has rules or a declared reason not to."""
