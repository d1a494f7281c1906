import Foundation

/// The output of a supported tool in a format qgate does not read (pylint's JSON, flake8's or
/// mypy's text, coverage.py's JSON): recognised only to name the option that writes the format
/// qgate reads, since "not a report qgate knows" leaves the user to guess.
public struct MisdirectedOutput: Sendable, Equatable {
    /// What the file is, for the sentence: `pylint's JSON`.
    public var what: String
    /// What qgate reads instead: `pylint's JUnit`.
    public var reads: String
    /// How to write that: `--output-format=pylint_junit.JUnitReporter`.
    public var fix: String

    /// Recognises the start of a file (at most ``FormatDetector/prefixLength`` bytes).
    public static func recognise(_ prefix: Data) -> MisdirectedOutput? {
        let text = String(decoding: prefix.prefix(FormatDetector.prefixLength), as: UTF8.self)
        let start = text.drop { $0 == "\u{FEFF}" || $0.isWhitespace }
        if start.hasPrefix("[") || start.hasPrefix("{") {
            if text.contains("\"message-id\""), text.contains("\"symbol\"") { return .pylintJSON }
            if start.hasPrefix("{"), text.contains("\"meta\""), text.contains("\"totals\""), text.contains("\"files\""),
                text.contains("\"covered_lines\"") || text.contains("\"percent_covered\"")
            {
                return .coverageJSON
            }
            return nil
        }
        let lines = start.split(separator: "\n", maxSplits: 20).map(String.init)
        if lines.contains(where: { $0.hasPrefix("************* Module ") }) { return .pylintText }
        for line in lines {
            if line.wholeMatch(of: /[^\s:][^:]*:\d+:\d+: [A-Z]\d{4}: .*/) != nil { return .pylintText }
            if line.wholeMatch(of: /[^\s:][^:]*:\d+:\d+: [A-Z]{1,3}\d{1,4} .*/) != nil { return .flake8Text }
            if line.wholeMatch(of: /[^\s:][^:]*:\d+(:\d+)?: (error|note|warning): .*/) != nil { return .mypyText }
            if line.wholeMatch(of: /(Success|Found \d+ errors?): .*/) != nil { return .mypyText }
        }
        return nil
    }

    static let pylintJSON = MisdirectedOutput(
        what: "pylint's JSON", reads: "pylint's JUnit",
        fix: "--output-format=pylint_junit.JUnitReporter (pip install pylint-junit)")
    static let pylintText = MisdirectedOutput(
        what: "pylint's text output", reads: "pylint's JUnit",
        fix: "--output-format=pylint_junit.JUnitReporter (pip install pylint-junit)")
    static let flake8Text = MisdirectedOutput(
        what: "flake8's text output", reads: "flake8's JUnit XML",
        fix: "flake8 --format junit-xml --output-file flake8.xml (pip install flake8-formatter-junit-xml)")
    static let mypyText = MisdirectedOutput(what: "mypy's text output", reads: "mypy's JUnit XML", fix: "mypy --junit-xml mypy.xml")
    static let coverageJSON = MisdirectedOutput(
        what: "coverage.py's JSON", reads: "Cobertura XML",
        fix: "coverage xml (or pytest --cov-report=xml)")
}
