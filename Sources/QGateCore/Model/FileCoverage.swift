/// Line and branch coverage of one source file. Covered and uncovered line numbers are kept
/// (not just totals) because coverage of a pull request's changed lines needs them.
public struct FileCoverage: Codable, Sendable, Hashable {
    public var path: String
    /// Sorted, distinct line numbers with at least one hit.
    public var coveredLines: [UInt32]
    /// Sorted, distinct coverable line numbers with no hit.
    public var uncoveredLines: [UInt32]
    public var branchesValid: Int
    public var branchesCovered: Int

    public init(path: String, coveredLines: [UInt32], uncoveredLines: [UInt32], branchesValid: Int = 0, branchesCovered: Int = 0) {
        self.path = path
        self.coveredLines = coveredLines
        self.uncoveredLines = uncoveredLines
        self.branchesValid = branchesValid
        self.branchesCovered = branchesCovered
    }

    public var linesValid: Int { coveredLines.count + uncoveredLines.count }
    public var linesCovered: Int { coveredLines.count }
}

/// Coverage totals over many files. Percentages are nil when nothing was measurable, because
/// "no branches measured" is not "0 % of branches covered".
public struct CoverageTotals: Codable, Sendable, Equatable {
    public var linesValid = 0, linesCovered = 0, branchesValid = 0, branchesCovered = 0

    public init() {}

    public init<S: Sequence>(_ files: S) where S.Element == FileCoverage {
        for file in files {
            linesValid += file.linesValid
            linesCovered += file.linesCovered
            branchesValid += file.branchesValid
            branchesCovered += file.branchesCovered
        }
    }

    public var linePercent: Double? { linesValid == 0 ? nil : Double(linesCovered) * 100 / Double(linesValid) }
    public var branchPercent: Double? { branchesValid == 0 ? nil : Double(branchesCovered) * 100 / Double(branchesValid) }
}
