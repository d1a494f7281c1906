/// A GitHub-flavoured Markdown table of cells that are already escaped.
///
/// Cells never contain a raw `|` or line break (``MarkdownEscaper`` guarantees it), so a row
/// is always exactly one line and a table can be cut only between rows.
struct MarkdownTable {
    enum Alignment {
        case left, right

        var delimiter: String {
            switch self {
            case .left: "---"
            case .right: "--:"
            }
        }
    }

    var headers: [String]
    var alignments: [Alignment]

    init(headers: [String], alignments: [Alignment]? = nil) {
        self.headers = headers
        self.alignments = alignments ?? headers.map { _ in .left }
    }

    func render(_ rows: [[String]]) -> String {
        var lines = [line(headers), line(alignments.map(\.delimiter))]
        lines += rows.map { line($0.map { $0.isEmpty ? " " : $0 }) }
        return lines.joined(separator: "\n")
    }

    private func line(_ cells: [String]) -> String { "| " + cells.joined(separator: " | ") + " |" }
}
