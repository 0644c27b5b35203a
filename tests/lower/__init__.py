"""Lowering and the IR itself: the printer, the verifier, refusals of unsupported constructs."""
