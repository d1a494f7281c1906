import Foundation

/// Tells a report's format from its first bytes, never from its file name: CI artifacts are
/// named anything (`report.xml`, `results.json`, `out`).
public enum FormatDetector {
    /// How much of a file is looked at.
    public static let prefixLength = 64 * 1024

    public static func detect(_ source: ReportSource) throws -> ReportFormat {
        guard let handle = FileHandle(forReadingAtPath: source.url.path) else {
            let reason = FileManager.default.fileExists(atPath: source.url.path) ? "permission denied" : "no such file"
            throw IngestError.unreadable(file: source.displayPath, reason: reason)
        }
        defer { try? handle.close() }
        let prefix: Data
        do {
            prefix = try handle.read(upToCount: prefixLength) ?? Data()
        } catch {
            throw IngestError.unreadable(file: source.displayPath, reason: ReportSource.reason(error))
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: source.url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw IngestError.unreadable(file: source.displayPath, reason: "it is a directory")
        }
        if prefix.isEmpty {
            throw IngestError.invalid(file: source.displayPath, at: "", reason: "the file is empty; a tool that ran to completion writes at least an empty report")
        }
        guard let format = detect(prefix: prefix) else { throw IngestError.unknownFormat(file: source.displayPath) }
        return format
    }

    /// Detection on a prefix of the content.
    public static func detect(prefix: Data) -> ReportFormat? {
        let bytes = [UInt8](prefix)
        var index = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        while index < bytes.count, isSpace(bytes[index]) { index += 1 }
        guard index < bytes.count else { return nil }
        if bytes[index] == UInt8(ascii: "<") {
            switch rootElement(bytes, from: index) {
            case "testsuites", "testsuite", "testrun": return .junit
            case "coverage": return .cobertura
            default: return nil
            }
        }
        let text = String(decoding: bytes[index...], as: UTF8.self)
        if bytes[index] == UInt8(ascii: "[") { return .safetyJSON }
        if bytes[index] == UInt8(ascii: "{") { return jsonFormat(text) }
        // safety 3.x prints a DEPRECATED banner before its JSON.
        if let brace = text.firstIndex(where: { $0 == "{" || $0 == "[" }) {
            if text[..<brace].localizedCaseInsensitiveContains("safety") { return .safetyJSON }
            // The 3.7 banner never says "safety"; the JSON after it does.
            if text[brace] == "{", jsonFormat(String(text[brace...])) == .safetyJSON { return .safetyJSON }
        }
        return nil
    }

    private static func jsonFormat(_ text: String) -> ReportFormat? {
        if text.contains("\"runs\"") && (text.contains("sarif") || text.contains("\"2.1.0\"")) { return .sarif }
        if text.contains("\"report_meta\"") || text.contains("\"scan_results\"") || text.contains("\"scanned_packages\"") {
            return .safetyJSON
        }
        if text.contains("\"generated_at\"") || (text.contains("\"metrics\"") && text.contains("\"_totals\"")) {
            return .banditJSON
        }
        if text.contains("\"results\"") && text.contains("\"test_id\"") { return .banditJSON }
        return nil
    }

    /// The name of the first element, skipping the XML declaration, comments, processing
    /// instructions and the DOCTYPE (whose internal subset may hold `>` characters).
    static func rootElement(_ bytes: [UInt8], from start: Int) -> String? {
        var index = start
        func skip(past terminator: [UInt8]) {
            while index < bytes.count {
                if bytes[index...].starts(with: terminator) { index += terminator.count; return }
                index += 1
            }
        }
        while index < bytes.count {
            while index < bytes.count, isSpace(bytes[index]) { index += 1 }
            guard index < bytes.count, bytes[index] == UInt8(ascii: "<") else { return nil }
            let rest = bytes[index...]
            if rest.starts(with: Array("<?".utf8)) {
                skip(past: Array("?>".utf8))
            } else if rest.starts(with: Array("<!--".utf8)) {
                skip(past: Array("-->".utf8))
            } else if rest.starts(with: Array("<!".utf8)) {
                var bracketDepth = 0
                while index < bytes.count {
                    let byte = bytes[index]
                    index += 1
                    if byte == UInt8(ascii: "[") { bracketDepth += 1 }
                    if byte == UInt8(ascii: "]") { bracketDepth -= 1 }
                    if byte == UInt8(ascii: ">") && bracketDepth <= 0 { break }
                }
            } else {
                index += 1
                var name = [UInt8]()
                while index < bytes.count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: ">"), bytes[index] != UInt8(ascii: "/") {
                    name.append(bytes[index])
                    index += 1
                }
                let qualified = String(decoding: name, as: UTF8.self)
                return qualified.split(separator: ":").last.map(String.init)
            }
        }
        return nil
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
