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
                throw IngestError.limitExceeded(
                    file: source.displayPath, line: line, column: column,
                    limit: "JSON nested deeper than \(limit) levels")
            case .invalid(let path, let reason):
                throw IngestError.invalid(file: source.displayPath, at: path, reason: reason)
            case .invalidUTF8(let offset):
                throw invalidUTF8(at: offset, in: data, source: source)
            }
        }
    }

    /// Refuses `data` unless it is UTF-8 throughout, for JSON read by `JSONDecoder`, which
    /// would otherwise accept some invalid bytes silently.
    static func checkUTF8(_ data: Data, source: ReportSource) throws {
        let offset = data.withUnsafeBytes { raw in UTF8Check.firstInvalidByte(in: raw.bindMemory(to: UInt8.self)) }
        if let offset { throw invalidUTF8(at: offset, in: data, source: source) }
    }

    private static func invalidUTF8(at offset: Int, in data: Data, source: ReportSource) -> IngestError {
        let (line, column) = lineAndColumn(ofByte: offset, in: data)
        return IngestError.malformed(
            file: source.displayPath, line: line, column: column,
            reason: "invalid UTF-8 at byte \(offset); JSON reports must be UTF-8")
    }
}
