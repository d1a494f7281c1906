import Foundation
import GRDB

/// The rows of a store given to `qgate merge`, read and checked as untrusted input before any
/// of them is written: another job's store may be damaged or forged, and a value no qgate writes
/// (a time of 1e300, a text where a number belongs) would otherwise trap every later `runs`.
struct MergeInput: Sendable {
    /// What a column may hold.
    enum Kind: Sendable {
        case text
        case integer(ClosedRange<Int64>)
        case real(ClosedRange<Double>)
        case blob
        case oneOf(Set<String>)
    }

    struct Column: Sendable {
        var name: String
        var kind: Kind
        var nullable = false
    }

    /// Seconds since 1970 from year 1970 to 9999: what `Date` and the ISO 8601 printer handle.
    static let time = Kind.real(0...253_402_300_799)
    static let count = Kind.integer(0...Int64(Int32.max))
    static let id = Kind.integer(1...Int64.max)

    static let runColumns: [Column] = [
        Column(name: "id", kind: id), Column(name: "commit_sha", kind: .text, nullable: true),
        Column(name: "branch", kind: .text, nullable: true), Column(name: "base_branch", kind: .text, nullable: true),
        Column(name: "pr_number", kind: count, nullable: true), Column(name: "pipeline_id", kind: .text, nullable: true),
        Column(name: "created_at", kind: time),
        Column(name: "verdict", kind: .oneOf(Set(Verdict.allCases.map(\.rawValue))), nullable: true),
        Column(name: "policy", kind: .text, nullable: true), Column(name: "checked_at", kind: time, nullable: true),
        Column(name: "evaluation", kind: .text, nullable: true),
    ]
    /// One verdict per policy checked on a run (migration v8); absent from older stores.
    static let verdictColumns: [Column] = [
        Column(name: "run_id", kind: id), Column(name: "policy", kind: .text),
        Column(name: "verdict", kind: .oneOf(Set(Verdict.allCases.map(\.rawValue)))), Column(name: "checked_at", kind: time),
    ]
    static let reportColumns: [Column] = [
        Column(name: "id", kind: id), Column(name: "run_id", kind: id), Column(name: "tool", kind: .text),
        Column(name: "format", kind: .oneOf(Set(ReportFormat.allCases.map(\.rawValue)))), Column(name: "path", kind: .text),
        Column(name: "sha256", kind: .text), Column(name: "ingested_at", kind: time), Column(name: "diagnostics", kind: .text),
        Column(name: "job", kind: .text), Column(name: "attempt", kind: .integer(0...Int64.max), nullable: true),
        Column(name: "fingerprint_version", kind: .integer(1...1_000)),
    ]
    /// The columns copied from each table below `reports`, after `report_id`.
    static let findingColumns: [Column] = [
        Column(name: "tool", kind: .text), Column(name: "category", kind: .oneOf(Set(Category.allCases.map(\.rawValue)))),
        Column(name: "rule", kind: .text), Column(name: "severity", kind: .oneOf(Set(Severity.allCases.map(\.rawValue)))),
        Column(name: "confidence", kind: .text, nullable: true), Column(name: "path", kind: .text, nullable: true),
        Column(name: "start_line", kind: count, nullable: true), Column(name: "start_column", kind: count, nullable: true),
        Column(name: "end_line", kind: count, nullable: true), Column(name: "end_column", kind: count, nullable: true),
        Column(name: "message", kind: .text), Column(name: "snippet", kind: .text, nullable: true),
        Column(name: "package", kind: .text, nullable: true), Column(name: "installed_version", kind: .text, nullable: true),
        Column(name: "affected_spec", kind: .text, nullable: true), Column(name: "fixed_versions", kind: .text, nullable: true),
        Column(name: "advisories", kind: .text, nullable: true), Column(name: "cwes", kind: .text, nullable: true),
        Column(name: "tool_fingerprint", kind: .text, nullable: true), Column(name: "fingerprint", kind: .text),
        Column(name: "suppressed", kind: .integer(0...1)),
        Column(name: "tool_baseline_state", kind: .oneOf(["new", "unchanged", "updated", "absent"]), nullable: true),
    ]
    static let testColumns: [Column] = [
        Column(name: "suite", kind: .text), Column(name: "class_name", kind: .text), Column(name: "name", kind: .text),
        Column(name: "file", kind: .text, nullable: true),
        Column(name: "status", kind: .oneOf(Set(TestStatus.allCases.map(\.rawValue)))),
        Column(name: "duration", kind: .real(0...1e9), nullable: true),
        Column(name: "message", kind: .text, nullable: true), Column(name: "details", kind: .text, nullable: true),
        Column(name: "attempts", kind: .integer(1...Int64(Int32.max))),
        Column(name: "line", kind: count, nullable: true),
    ]
    static let coverageColumns: [Column] = [
        Column(name: "path", kind: .text), Column(name: "lines_valid", kind: count), Column(name: "lines_covered", kind: count),
        Column(name: "branches_valid", kind: count), Column(name: "branches_covered", kind: count),
        Column(name: "covered_lines", kind: .blob), Column(name: "uncovered_lines", kind: .blob),
    ]

    /// One table's checked rows: the values of `columns`, in order, keyed by the parent's id.
    struct Rows: Sendable {
        var columns: [Column]
        var byParent: [Int64: [[DatabaseValue]]] = [:]
    }

    var runs: [[DatabaseValue]] = []
    var reportsByRun: [Int64: [[DatabaseValue]]] = [:]
    /// `run_verdicts` rows (run_id, policy, verdict, checked_at) by the source's run id.
    var verdictsByRun: [Int64: [[DatabaseValue]]] = [:]
    var findings: Rows
    var tests: Rows
    var coverage: Rows

    /// Reads and checks every row of the store at `path`; the first bad value refuses it.
    static func load(_ db: Database, path: String) throws -> MergeInput {
        let runs = try checkedRows(db, path: path, table: "runs", columns: runColumns, orderBy: "id")
        var reportsByRun: [Int64: [[DatabaseValue]]] = [:]
        for row in try checkedRows(db, path: path, table: "reports", columns: reportColumns, orderBy: "id") {
            reportsByRun[Int64.fromDatabaseValue(row[1]) ?? 0, default: []].append(row)
        }
        var verdictsByRun: [Int64: [[DatabaseValue]]] = [:]
        if try db.tableExists("run_verdicts") {
            let rows = try checkedRows(
                db, path: path, table: "run_verdicts", columns: verdictColumns, orderBy: "run_id, policy", rowID: "run_id")
            for row in rows { verdictsByRun[Int64.fromDatabaseValue(row[0]) ?? 0, default: []].append(row) }
        }
        func children(_ table: String, _ columns: [Column]) throws -> Rows {
            var rows = Rows(columns: columns)
            let all = [Column(name: "report_id", kind: id)] + columns
            for row in try checkedRows(db, path: path, table: table, columns: all, orderBy: "id") {
                rows.byParent[Int64.fromDatabaseValue(row[0]) ?? 0, default: []].append(Array(row.dropFirst()))
            }
            return rows
        }
        return MergeInput(
            runs: runs, reportsByRun: reportsByRun, verdictsByRun: verdictsByRun, findings: try children("findings", findingColumns),
            tests: try children("tests", testColumns), coverage: try children("coverage_files", coverageColumns))
    }

    private static func checkedRows(
        _ db: Database, path: String, table: String, columns: [Column],
        orderBy: String, rowID: String = "rowid"
    ) throws -> [[DatabaseValue]] {
        let names = columns.map(\.name).joined(separator: ", ")
        let cursor = try Row.fetchCursor(db, sql: "SELECT \(rowID), \(names) FROM \(table) ORDER BY \(orderBy)")
        var rows: [[DatabaseValue]] = []
        while let row = try cursor.next() {
            var values: [DatabaseValue] = []
            values.reserveCapacity(columns.count)
            for (index, column) in columns.enumerated() {
                let value: DatabaseValue = row[index + 1]
                guard accepts(value, column) else {
                    let rowID = Int64.fromDatabaseValue(row[0]) ?? 0
                    throw StoreError.untrustedRow(path: path, table: table, row: rowID, column: column.name, value: shown(value))
                }
                values.append(value)
            }
            rows.append(values)
        }
        return rows
    }

    static func accepts(_ value: DatabaseValue, _ column: Column) -> Bool {
        switch value.storage {
        case .null:
            return column.nullable
        case .int64(let number):
            switch column.kind {
            case .integer(let range): return range.contains(number)
            case .real(let range): return range.contains(Double(number))
            default: return false
            }
        case .double(let number):
            guard case .real(let range) = column.kind else { return false }
            return number.isFinite && range.contains(number)
        case .string(let text):
            switch column.kind {
            case .text: return true
            case .oneOf(let allowed): return allowed.contains(text)
            default: return false
            }
        case .blob:
            if case .blob = column.kind { return true }
            return false
        }
    }

    /// A bad value as the error shows it: short, one line.
    private static func shown(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: return "NULL"
        case .int64(let number): return String(number)
        case .double(let number): return String(number)
        case .string(let text):
            let escaped = text.prefix(40).unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : String($0) }.joined()
            return "'\(escaped)\(text.count > 40 ? "…" : "")'"
        case .blob(let data): return "a blob of \(data.count) bytes"
        }
    }
}
