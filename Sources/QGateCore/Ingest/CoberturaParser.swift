import Foundation

/// Reads Cobertura XML coverage (coverage.py, gcovr, Cobertura for Java, Istanbul, the .NET
/// converter, LuaCov) into per-file line and branch coverage.
///
/// The document is streamed, never loaded: only `class/lines/line` counts (method line lists
/// repeat it), lines are merged per repository-relative file with the highest hit count, and
/// every total is recomputed because the root's own attributes are missing or wrong in real
/// reports. See FORMATS.md §6.
public struct CoberturaParser: ReportParser {
    public init() {}

    public func parse(_ source: ReportSource, context: ParseContext) throws -> ParsedReport {
        let handler = CoberturaStreamHandler(displayPath: source.displayPath)
        try XMLStreamReader(displayPath: source.displayPath).parse(file: source.url, handler: handler)

        let resolver = CoberturaPathResolver(sources: handler.sources, paths: context.paths)
        // Values are moved, never shared, so that merging sorts the line arrays in place.
        var byFilename = handler.takeLineSets()
        var filesByPath: [String: CoberturaLineSet] = [:]
        while let (filename, parsed) = byFilename.popFirst() {
            var lines = parsed
            filesByPath[resolver.resolve(filename), default: CoberturaLineSet()].absorb(&lines)
        }
        let coverage = filesByPath.keys.sorted().compactMap { path in
            filesByPath.removeValue(forKey: path)?.coverage(path: path)
        }

        var diagnostics: [Diagnostic] = []
        if let warning = unresolvedPathsWarning(coverage, context: context, file: source.displayPath) {
            diagnostics.append(warning)
        }
        if let note = declaredTotalsNote(handler.declared, coverage, file: source.displayPath) {
            diagnostics.append(note)
        }
        return ParsedReport(format: .cobertura, tool: "cobertura", coverage: coverage, diagnostics: diagnostics)
    }

    /// README (Using it): a report whose paths mostly do not resolve says so, instead of silently matching
    /// no changed line.
    private func unresolvedPathsWarning(_ files: [FileCoverage], context: ParseContext, file: String) -> Diagnostic? {
        guard let root = context.paths.repositoryRoot, !files.isEmpty else { return nil }
        let missing = files.filter { !context.paths.exists($0.path) }
        guard missing.count * 2 > files.count else { return nil }
        let examples = missing.prefix(3).map(\.path).joined(separator: ", ")
        return Diagnostic(
            .warning, file: file,
            "\(missing.count) of \(files.count) files in this coverage report do not exist under \(root) "
                + "(for example \(examples)); was the report made from another checkout, or are its <source> roots wrong?")
    }

    /// The root's `lines-valid`/`lines-covered` are only a sanity check: the recomputed counts win.
    private func declaredTotalsNote(
        _ declared: CoberturaStreamHandler.DeclaredTotals, _ files: [FileCoverage],
        file: String
    ) -> Diagnostic? {
        let totals = CoverageTotals(files)
        let validDiffers = declared.linesValid.map { $0 != Int64(totals.linesValid) } ?? false
        let coveredDiffers = declared.linesCovered.map { $0 != Int64(totals.linesCovered) } ?? false
        guard validDiffers || coveredDiffers else { return nil }
        let claimed =
            "lines-valid=\(declared.linesValid.map(String.init) ?? "?") lines-covered=\(declared.linesCovered.map(String.init) ?? "?")"
        return Diagnostic(
            .note, file: file,
            "the report claims \(claimed), but its <line> elements give \(totals.linesValid) valid and "
                + "\(totals.linesCovered) covered lines; qgate uses the counted values")
    }
}

/// Turns a class `filename` into a repository-relative path, using the report's `<source>` roots.
///
/// Why the candidates: the roots are usually absolute paths on the CI machine
/// (`/home/runner/work/p/p/src`), so `source + filename` rarely exists here. The first of
/// `source + filename`, then the same with leading folders of the source dropped
/// (`src/filename`), that exists under the repository root wins; otherwise the filename is
/// used on its own, without prefixing a root that does not exist here.
struct CoberturaPathResolver {
    let paths: PathNormalizer
    /// Per `<source>`, its normalised spelling and the shorter roots with leading folders dropped,
    /// computed once per report rather than once per class.
    private let roots: [[String]]

    init(sources: [String], paths: PathNormalizer) {
        self.paths = paths
        self.roots = sources.map { source in
            let normalized = paths.normalize(source)
            let folders = normalized.split(separator: "/").map(String.init)
            let tails = (1..<max(folders.count, 1)).map { folders.dropFirst($0).joined(separator: "/") }
            return [normalized] + tails
        }
    }

    func resolve(_ filename: String) -> String {
        let relativeName = paths.normalize(filename)
        guard paths.repositoryRoot != nil else { return relativeName }
        if relativeName.hasPrefix("/") || PathNormalizer.hasDrive(relativeName) {
            return relativeName
        }
        for candidates in roots {
            for (index, root) in candidates.enumerated() {
                let candidate: String
                if root.isEmpty || root == "." {
                    candidate = relativeName
                } else if index == 0 {
                    // The full root may be absolute (another machine's checkout): let the
                    // normaliser relate it to this repository.
                    candidate =
                        root.hasPrefix("/") || PathNormalizer.hasDrive(root)
                        ? paths.normalize(root + "/" + relativeName) : root + "/" + relativeName
                } else {
                    candidate = root + "/" + relativeName
                }
                if paths.exists(candidate) { return candidate }
            }
        }
        return relativeName
    }
}
