import Foundation

/// Why a report could not be ingested. Each case names the file and, where the input tells,
/// the place in it, and prints as one sentence a person can act on. Any of these makes the
/// whole ingest write nothing.
public enum IngestError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case malformed(file: String, line: Int, column: Int, reason: String)
    case invalid(file: String, at: String, reason: String)
    case unknownFormat(file: String)
    /// A supported tool's output in a format qgate does not read: the sentence names the fix.
    case misdirected(file: String, output: MisdirectedOutput)
    case limitExceeded(file: String, line: Int, column: Int, limit: String)
    case unsafe(file: String, line: Int, column: Int, reason: String)

    /// The usual causes in plain words; anything else in the C library's.
    public static func reason(errno code: Int32) -> String {
        switch code {
        case ENOENT: "no such file"
        case EACCES: "permission denied"
        case EISDIR: "it is a directory"
        default:
            // The C library's words, as a clause inside our sentence: "no space left on device".
            { $0.prefix(1).lowercased() + $0.dropFirst() }(String(cString: strerror(code)))
        }
    }

    public var file: String {
        switch self {
        case .unreadable(let file, _), .malformed(let file, _, _, _), .invalid(let file, _, _),
            .unknownFormat(let file), .misdirected(let file, _), .limitExceeded(let file, _, _, _), .unsafe(let file, _, _, _):
            file
        }
    }

    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            "\(file): error: cannot read the report: \(reason)."
        case .malformed(let file, let line, let column, let reason):
            "\(file):\(line):\(column): error: the report is not well-formed (\(reason)); is it truncated or corrupt?"
        case .invalid(let file, let at, let reason):
            "\(file): error: \(at.isEmpty ? "" : "at \(at): ")\(reason)."
        case .unknownFormat(let file):
            "\(file): error: not a report qgate knows (JUnit XML, Cobertura XML, bandit JSON, safety JSON or SARIF 2.1.0); use --as FORMAT if it is one."
        case .misdirected(let file, let output):
            "\(file): error: this is \(output.what); qgate reads \(output.reads): \(output.fix)."
        case .limitExceeded(let file, let line, let column, let limit):
            "\(file):\(line):\(column): error: the report exceeds a safety limit (\(limit))."
        case .unsafe(let file, let line, let column, let reason):
            "\(file):\(line):\(column): error: the report was refused: \(reason)."
        }
    }
}
