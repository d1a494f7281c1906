import Foundation
import QGateCore
import Testing

/// `quarantine:` and `flaky:` in a policy: read, validated like waivers and gates, matched by test id.
struct QuarantinePolicyTests {
    private static let head = "policy: p\ngates:\n  - { name: t, metric: tests.failed, max: 0 }\n"

    @Test func readsQuarantineAndFlakySettings() throws {
        let policy = try PolicyLoader.load(
            text: Self.head + """
                quarantine:
                  - { test: "tests/test_cart.py::test_*", reason: payment sandbox is down, expires: 2027-02-01 }
                flaky: { window: 50, min_runs: 5, max_flips: 1, heal_after: 10 }
                """, file: "p.yml")
        #expect(policy.quarantine.map(\.test.pattern) == ["tests/test_cart.py::test_*"])
        #expect(policy.quarantine.first?.reason == "payment sandbox is down")
        #expect(policy.quarantine.first?.expires == "2027-02-01")
        #expect(policy.flaky == FlakyPolicy(window: 50, minRuns: 5, maxFlips: 1, healAfter: 10))
        #expect(try PolicyLoader.load(text: Self.head, file: "p.yml").flaky.healAfter == 30)
    }

    @Test func badQuarantineAndFlakyEntriesAreErrors() {
        let problems = PolicyValidationTests.problems(
            Self.head + """
                quarantine:
                  - { tests: "a::b", reason: x }
                  - { test: "a::b", expiry: 2027-01-01 }
                flaky: { heal_afer: 3, window: 1 }
                """)
        #expect(
            problems == [
                "p.yml:5:5: error: a quarantine entry needs a 'test'; a glob over test ids, e.g. 'tests/test_cart.py::test_*'",
                "p.yml:5:7: error: unknown key 'tests' in a quarantine entry; did you mean 'test'? (one glob per entry)",
                "p.yml:6:5: error: a quarantine entry needs a 'reason'; say why the test may fail, e.g. a ticket",
                "p.yml:6:21: error: unknown key 'expiry' in a quarantine entry; did you mean 'expires'?",
                "p.yml:7:10: error: unknown key 'heal_afer' in 'flaky'; did you mean 'heal_after'?",
                "p.yml:7:32: error: 'window' must be at least 2, found 1",
            ])
    }

    @Test func quarantineMatchesTheIdAndThePytestNodeId() throws {
        let quarantine = Quarantine(test: try Glob("tests/test_cart.py::test_*"), reason: "r")
        #expect(quarantine.matches(TestResult(suite: "pytest", className: "tests.test_cart", name: "test_total", status: .failed)))
        #expect(
            quarantine.matches(TestResult(suite: "pytest", className: "tests.test_cart.TestCart", name: "test_total", status: .failed))
                == false)
        #expect(
            quarantine.matches(TestResult(suite: "pytest", className: "tests.test_store", name: "test_total", status: .failed)) == false)
        let byId = Quarantine(test: try Glob("tests.test_cart::*"), reason: "r")
        #expect(byId.matches(TestResult(suite: "pytest", className: "tests.test_cart", name: "test_total", status: .failed)))
        let inClass = Quarantine(test: try Glob("tests/test_cart.py::TestCart::*"), reason: "r")
        #expect(inClass.matches(TestResult(suite: "pytest", className: "tests.test_cart.TestCart", name: "test_total", status: .failed)))
        #expect(quarantine.isExpired(today: "2026-12-01") == false)
        #expect(Quarantine(test: try Glob("x"), reason: "r", expires: "2026-11-30").isExpired(today: "2026-12-01"))
    }
}
