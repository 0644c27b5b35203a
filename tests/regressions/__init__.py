"""Bugs found by the fuzzer and by adversarial sweeps, one named test each."""
