import Foundation

extension JSONReport {
    /// Reads a report with a ``JSONScanner``, mapping its errors to ``IngestError``s the way
    /// ``decode(_:from:source:)`` maps `DecodingError`s: syntax errors with line and column,
    /// shape errors with the JSON path.
    static func scan<T>(_ data: Data, source: ReportSource, _ read: (inout JSONScanner) throws -> T) throws -> T {
        do {
            return try JSONScanner.scan(data, read)
        } catch let error as JSONScanError {
            switch error {
            case .malformed(let offset):
                let (line, column) = lineAndColumn(ofByte: offset, in: data)
                throw IngestError.malformed(file: source.displayPath, line: line, column: column, reason: "not valid JSON")
            case .tooDeep(let offset, let limit):
                let (line, column) = lineAndColumn(ofByte: offset, in: data)
                throw IngestError.limitExceeded(file: source.displayPath, line: line, column: column,
                                                limit: "JSON nested deeper than \(limit) levels")
            case .invalid(let path, let reason):
                throw IngestError.invalid(file: source.displayPath, at: path, reason: reason)
            }
        }
    }
}
