/// The coverable lines of one Cobertura `filename`, gathered in document order and merged once
/// at the end.
///
/// Why not a dictionary per line: a large report has millions of `<line>` elements, and almost
/// all of them arrive in ascending order inside a single `<class>`. Appending to two `[UInt32]`
/// keeps memory at four bytes a line and needs no sort; only a file whose lines arrive out of
/// order (several `<class>` entries sharing the filename) is sorted and de-duplicated.
/// A value type, so that the stream handler can fill the current class's set in place without
/// reference counting on every line.
struct CoberturaLineSet {
    /// The branch counts of one line, as its `condition-coverage` or `<condition>`s say.
    struct BranchLine {
        var line: UInt32
        var covered: UInt32
        var valid: UInt32
    }

    private var covered: [UInt32] = []
    private var uncovered: [UInt32] = []
    private var branches: [BranchLine] = []
    private var highestLine: UInt32 = 0
    private var highestBranchLine: UInt32 = 0
    /// True while every line came in strictly ascending order: the arrays are then already
    /// sorted, distinct and disjoint.
    private var linesInOrder = true
    private var branchesInOrder = true

    /// Records one `<line>`. A line seen again (another `<class>` for the same file) keeps its
    /// highest hit count, so it is covered if any copy was hit.
    mutating func add(line: UInt32, hit: Bool) {
        if line > highestLine {
            highestLine = line
        } else {
            linesInOrder = false
        }
        if hit {
            covered.append(line)
        } else {
            uncovered.append(line)
        }
    }

    /// Records the branches of one line. For a line seen again, the copy with the most covered
    /// branches wins.
    mutating func add(_ branch: BranchLine) {
        if branch.line > highestBranchLine {
            highestBranchLine = branch.line
        } else {
            branchesInOrder = false
        }
        branches.append(branch)
    }

    /// Takes over the lines of `other` (another `<class>` of the same file, or the same file
    /// under another spelling), leaving `other` empty. Lines that continue in ascending order
    /// keep the set sort-free.
    mutating func absorb(_ other: inout CoberturaLineSet) {
        if covered.isEmpty && uncovered.isEmpty && branches.isEmpty {
            swap(&self, &other)
            return
        }
        if let first = other.lowestLine, first > highestLine, other.linesInOrder {
            highestLine = max(highestLine, other.highestLine)
        } else if other.lowestLine != nil {
            linesInOrder = false
        }
        if let first = other.branches.first?.line, first > highestBranchLine, other.branchesInOrder {
            highestBranchLine = max(highestBranchLine, other.highestBranchLine)
        } else if !other.branches.isEmpty {
            branchesInOrder = false
        }
        covered += other.covered
        uncovered += other.uncovered
        branches += other.branches
        other = CoberturaLineSet()
    }

    /// The first line recorded; the smallest when the lines came in order.
    private var lowestLine: UInt32? {
        switch (covered.first, uncovered.first) {
        case let (hit?, missed?): min(hit, missed)
        case let (hit, missed): hit ?? missed
        }
    }

    /// The merged coverage of the file.
    consuming func coverage(path: String) -> FileCoverage {
        var coveredLines = covered
        var uncoveredLines = uncovered
        covered = []
        uncovered = []
        if !linesInOrder {
            Self.sortDistinct(&coveredLines)
            Self.sortDistinct(&uncoveredLines)
            Self.remove(coveredLines, from: &uncoveredLines)
        }
        let (branchesCovered, branchesValid) = branchTotals()
        return FileCoverage(
            path: path, coveredLines: coveredLines, uncoveredLines: uncoveredLines,
            branchesValid: branchesValid, branchesCovered: branchesCovered)
    }

    private mutating func branchTotals() -> (covered: Int, valid: Int) {
        if !branchesInOrder {
            // Per line, the copy with the most covered branches first; then keep only that one.
            branches.sort { ($0.line, $1.covered) < ($1.line, $0.covered) }
        }
        var covered = 0, valid = 0
        var previous: UInt32?
        for branch in branches where branch.line != previous {
            covered += Int(branch.covered)
            valid += Int(branch.valid)
            previous = branch.line
        }
        return (covered, valid)
    }

    private static func sortDistinct(_ lines: inout [UInt32]) {
        lines.sort()
        var kept = 0
        for index in lines.indices where kept == 0 || lines[index] != lines[kept - 1] {
            lines[kept] = lines[index]
            kept += 1
        }
        lines.removeLast(lines.count - kept)
    }

    /// Removes from the sorted `lines` every element of the sorted `hit`.
    private static func remove(_ hit: [UInt32], from lines: inout [UInt32]) {
        var kept = 0
        var hitIndex = 0
        for index in lines.indices {
            let line = lines[index]
            while hitIndex < hit.count && hit[hitIndex] < line { hitIndex += 1 }
            if hitIndex < hit.count && hit[hitIndex] == line { continue }
            lines[kept] = line
            kept += 1
        }
        lines.removeLast(lines.count - kept)
    }
}
