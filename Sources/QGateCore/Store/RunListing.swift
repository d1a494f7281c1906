import Foundation

/// The verdict of one policy checked on a run.
public struct PolicyVerdict: Encodable, Sendable, Equatable {
    public var policy: String
    public var verdict: Verdict
    /// When that policy was last checked on the run (ISO 8601, UTC).
    public var checkedAt: String

    public init(policy: String, verdict: Verdict, checkedAt: String) {
        self.policy = policy
        self.verdict = verdict
        self.checkedAt = checkedAt
    }
}

/// What `qgate runs` shows: each run with its identity, reports and the verdict of each policy checked on it.
public struct RunListing: Encodable, Sendable {
    /// One run: the run object every JSON document uses, plus when it was created and its verdict.
    public struct Entry: Encodable, Sendable {
        public var run: RunSummary
        public var time: String
        /// One per policy checked on the run, by policy name.
        public var verdicts: [PolicyVerdict]

        public init(run: RunSummary, time: String, verdicts: [PolicyVerdict] = []) {
            self.run = run
            self.time = time
            self.verdicts = verdicts
        }

        public var id: Int64 { run.id }

        /// The worst verdict of the policies checked (a run that failed one policy failed).
        public var verdict: Verdict? { verdicts.map(\.verdict).max() }

        enum CodingKeys: String, CodingKey { case time, verdict, verdicts }

        public func encode(to encoder: Encoder) throws {
            try run.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(time, forKey: .time)
            try c.encode(verdict, forKey: .verdict)
            try c.encode(verdicts, forKey: .verdicts)
        }
    }

    public var runs: [Entry]

    public static func load(from store: any RunStore, branch: String?, last: Int?) async throws -> RunListing {
        let runs = try await store.runs(branch: branch, last: last)
        let reports = try await store.reportSummaries(runIDs: runs.map(\.id))
        let verdicts = try await store.verdicts(runIDs: runs.map(\.id))
        return RunListing(
            runs: runs.map { run in
                Entry(
                    run: RunSummary(run, reports: reports[run.id] ?? []), time: Timestamp.iso8601(run.createdAt),
                    verdicts: verdicts[run.id] ?? [])
            })
    }

    /// A plain-text table, columns padded.
    public func table() -> String {
        var rows = [["ID", "TIME", "COMMIT", "BRANCH", "PR", "REPORTS", "VERDICT"]]
        for entry in runs {
            let run = entry.run
            rows.append([
                String(run.id), entry.time, run.commit.map { String($0.prefix(12)) } ?? "-", run.branch ?? "-",
                run.pullRequest.map { "#\($0)" } ?? "-", run.reports.map(\.tool).joined(separator: ","),
                entry.verdicts.isEmpty ? "-" : entry.verdicts.map { "\($0.verdict.rawValue) (\($0.policy))" }.joined(separator: ", "),
            ])
        }
        return TextTable.render(rows)
    }
}

/// Times are printed in UTC, ISO 8601, to the second.
public enum Timestamp {
    /// `2027-01-15T08:00:00Z` (fractions of a second dropped). Computed, not formatted with
    /// `ISO8601DateFormatter`: creating one costs ~0.1 ms on Linux, and `trend`/`runs` print thousands.
    public static func iso8601(_ date: Date) -> String {
        // Clamped to years 1…9999: a damaged store's 1e300 must print, not trap.
        let raw = date.timeIntervalSince1970
        let seconds = raw.isFinite ? Int64(min(max(raw, -62_135_596_800), 253_402_300_799).rounded(.down)) : 0
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let second = seconds - days * 86_400
        // Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's civil_from_days).
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : String(value) }
        let paddedYear = String(repeating: "0", count: max(0, 4 - String(year).count)) + String(year)
        return "\(paddedYear)-\(two(month))-\(two(day))T\(two(second / 3_600)):\(two(second % 3_600 / 60)):\(two(second % 60))Z"
    }
}

/// Left-aligned columns separated by two spaces. Every cell is escaped (``TextEscaper``):
/// branch, commit, tool and path cells come from CI variables and reports.
public enum TextTable {
    public static func render(_ rawRows: [[String]]) -> String {
        let rows = rawRows.map { $0.map { TextEscaper.escape($0) } }
        guard let width = rows.map(\.count).max() else { return "" }
        var widths = [Int](repeating: 0, count: width)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
