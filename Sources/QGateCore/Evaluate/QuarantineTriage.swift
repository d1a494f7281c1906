/// Applies the policy's quarantine to a run's tests: which failing or flaky tests an active
/// entry forgives (they leave the test gates), which match only an expired entry (they count
/// again, and the summary says so), and which entries matched nothing.
struct QuarantineTriage {
    private(set) var outcome = QuarantineOutcome()
    /// Identities of the tests whose failure an active entry forgives.
    private(set) var forgiven: Set<String> = []

    init(_ entries: [Quarantine], today: String, tests: [TestResult]) {
        guard !entries.isEmpty else { return }
        var used = Array(repeating: false, count: entries.count)
        var seen: Set<String> = []
        for test in tests.sorted(by: Evaluator.testOrder) where test.isFailing || test.status == .flaky {
            guard seen.insert(test.identity).inserted else { continue }
            let matching = entries.indices.filter { entries[$0].matches(test) }
            guard let chosen = matching.first(where: { !entries[$0].isExpired(today: today) }) ?? matching.first else { continue }
            for index in matching { used[index] = true }
            let entry = entries[chosen]
            let row = QuarantineOutcome.Entry(
                test: test.identity, status: test.status, pattern: entry.test.pattern,
                reason: entry.reason, expires: entry.expires)
            if entry.isExpired(today: today) {
                outcome.expired.append(row)
            } else {
                outcome.applied.append(row)
                forgiven.insert(test.identity)
            }
        }
        for (entry, wasUsed) in zip(entries, used) where !wasUsed {
            outcome.unused.append(
                WaiverOutcome.Entry(
                    selector: "test \(entry.test.pattern)", reason: entry.reason,
                    expires: entry.expires, matched: 0))
        }
    }

    /// Whether the test leaves the gates: it fails (or is flaky) and an active entry covers it.
    func forgives(_ test: TestResult) -> Bool {
        (test.isFailing || test.status == .flaky) && forgiven.contains(test.identity)
    }
}
