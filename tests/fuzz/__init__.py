"""A random-program fuzzer for srcad: generator (`gen`, `gen_expr`, `choice`), oracle (`oracle`),
runner (`runner`), shrinker (`minimize`); `python -m tests.fuzz --n 20000 --seed S` runs a campaign,
tests/fuzz/test_fuzz.py a fixed-seed run in the normal test suite."""
