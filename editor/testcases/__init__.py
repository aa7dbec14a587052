"""Flow test cases (docs/testcases.md): a trigger, a script of contact inputs, mocks and
assertions, run in memory against a flow's definition with the real engine."""
