import Foundation

/// How the history decides that a test is flaky (policy key `flaky:`). A test is flaky when it
/// failed and passed on the same commit, or when its outcome flipped more than `maxFlips` times
/// over at least `minRuns` runs; a test that only fails is broken, not flaky. It stops being
/// flaky after `healAfter` consecutive passes, or when reset (`qgate flaky --reset`).
public struct FlakyPolicy: Sendable, Equatable {
    /// How many recent runs `check` looks at.
    public var window: Int
    public var minRuns: Int
    public var maxFlips: Int
    public var healAfter: Int

    public init(window: Int = 200, minRuns: Int = 10, maxFlips: Int = 2, healAfter: Int = 30) {
        self.window = window
        self.minRuns = minRuns
        self.maxFlips = maxFlips
        self.healAfter = healAfter
    }
}

/// One flaky test as `qgate flaky` lists it. `firstSeen`/`lastSeen` are the first and last
/// failing run of the window (ISO 8601, UTC).
public struct FlakyTest: Sendable, Codable, Equatable {
    public var id: String
    public var runs: Int
    public var failures: Int
    public var flakyCommits: Int
    /// Outcome changes between consecutive runs, divided by (runs − 1).
    public var flipRate: Double
    public var firstSeen: String
    public var lastSeen: String
    public var quarantined: Bool

    enum CodingKeys: String, CodingKey {
        case id, runs, failures, flakyCommits = "flaky_commits", flipRate = "flip_rate", firstSeen = "first_seen",
            lastSeen = "last_seen", quarantined
    }

    public init(
        id: String, runs: Int, failures: Int, flakyCommits: Int, flipRate: Double, firstSeen: String, lastSeen: String,
        quarantined: Bool = false
    ) {
        self.id = id
        self.runs = runs
        self.failures = failures
        self.flakyCommits = flakyCommits
        self.flipRate = flipRate
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.quarantined = quarantined
    }
}

/// What one run says about one test: it failed (failed, error, or a rerun marker), it passed
/// (passed, or passed on a rerun), or both (a rerun marker, or two jobs of the run disagreeing).
public struct TestObservation: Sendable, Equatable {
    public var run: Int64
    public var commit: String?
    public var createdAt: Double
    public var failed: Bool
    public var passed: Bool

    public init(run: Int64, commit: String?, createdAt: Double, failed: Bool, passed: Bool) {
        self.run = run
        self.commit = commit
        self.createdAt = createdAt
        self.failed = failed
        self.passed = passed
    }
}

/// The pure rule: one test's observations, oldest first, in; a flaky row or nil out.
public enum FlakyJudge {
    public static func judge(id: String, _ observations: [TestObservation], policy: FlakyPolicy) -> FlakyTest? {
        var trailingPasses = 0
        for observation in observations.reversed() {
            guard !observation.failed else { break }
            trailingPasses += 1
        }
        if trailingPasses >= policy.healAfter { return nil }
        let failing = observations.filter(\.failed)
        guard let first = failing.first, let last = failing.last else { return nil }
        if !observations.contains(where: \.passed) { return nil }  // broken, not flaky

        var byCommit: [String: (failed: Bool, passed: Bool)] = [:]
        for observation in observations {
            let key = observation.commit.map { "c:" + $0 } ?? "r:\(observation.run)"
            var seen = byCommit[key] ?? (false, false)
            seen.failed = seen.failed || observation.failed
            seen.passed = seen.passed || observation.passed
            byCommit[key] = seen
        }
        let flakyCommits = byCommit.values.count { $0.failed && $0.passed }
        var flips = 0
        for (earlier, later) in zip(observations, observations.dropFirst()) where earlier.failed != later.failed { flips += 1 }
        let flipping = observations.count >= policy.minRuns && flips > policy.maxFlips
        guard flakyCommits > 0 || flipping else { return nil }
        return FlakyTest(
            id: id, runs: observations.count, failures: failing.count, flakyCommits: flakyCommits,
            flipRate: observations.count > 1 ? Double(flips) / Double(observations.count - 1) : 0,
            firstSeen: timestamp(first.createdAt), lastSeen: timestamp(last.createdAt))
    }

    static func timestamp(_ seconds: Double) -> String {
        Date(timeIntervalSince1970: seconds).formatted(.iso8601)
    }
}

/// Which runs a flaky query looks at.
public struct FlakyWindow: Sendable, Equatable {
    /// Only runs of this branch; nil for every branch.
    public var branch: String?
    /// The most recent `last` runs; nil for all.
    public var last: Int?
    /// Only runs up to this one (a check looks at the history up to the run it checks).
    public var upTo: Run?

    public init(branch: String? = nil, last: Int? = nil, upTo: Run? = nil) {
        self.branch = branch
        self.last = last
        self.upTo = upTo
    }
}
