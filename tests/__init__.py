"""srcad's test suite, one package per layer: lower, passes, ad, backend, api, golden, soundness,
plus the corpus, the fuzzer and the regressions (see docs/architecture.md, Testing)."""
