import Foundation

/// A report file handed to a parser: where it is, and the name to use for it in messages.
public struct ReportSource: Sendable {
    public var url: URL
    /// The path as the user gave it, for error messages.
    public var displayPath: String

    public init(url: URL, displayPath: String) {
        self.url = url
        self.displayPath = displayPath
    }

    public init(path: String) {
        self.init(url: URL(fileURLWithPath: path), displayPath: path)
    }

    /// The whole file, for formats that are decoded as one value (JSON).
    public func readAll(limit: Int = 1 << 31) throws -> Data {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw IngestError.unreadable(file: displayPath, reason: ReportSource.reason(error))
        }
        if data.count > limit {
            throw IngestError.limitExceeded(file: displayPath, line: 1, column: 1, limit: "larger than \(limit) bytes")
        }
        return data
    }

    static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain,
            let code = POSIXErrorCode(rawValue: Int32(underlying.code))
        {
            return String(cString: strerror(code.rawValue))
        }
        if nsError.domain == NSCocoaErrorDomain {
            switch nsError.code {
            case NSFileReadNoSuchFileError: return "no such file"
            case NSFileReadNoPermissionError: return "permission denied"
            default: break
            }
        }
        return nsError.localizedDescription
    }
}

/// What every parser gets besides the file: how to turn the report's paths into
/// repository-relative ones, and the user's `--tool` override.
public struct ParseContext: Sendable {
    public var paths: PathNormalizer
    public var toolOverride: String?

    public init(paths: PathNormalizer = PathNormalizer(repositoryRoot: nil), toolOverride: String? = nil) {
        self.paths = paths
        self.toolOverride = toolOverride
    }
}

/// One parser per input format. A parser reads the whole report or throws an ``IngestError``;
/// it never returns a partial result.
public protocol ReportParser: Sendable {
    func parse(_ source: ReportSource, context: ParseContext) throws -> ParsedReport
}

extension ReportFormat {
    /// The parser for this format. Exhaustive, so a new format cannot be added without one.
    public var parser: any ReportParser {
        switch self {
        case .junit: JUnitParser()
        case .cobertura: CoberturaParser()
        case .banditJSON: BanditParser()
        case .safetyJSON: SafetyParser()
        case .sarif: SARIFParser()
        }
    }
}
