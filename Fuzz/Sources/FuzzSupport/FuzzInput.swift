import Foundation
@_exported import QGateCore

/// What every fuzz target does with one input: hand it to qgate's reader exactly as
/// `qgate ingest` would (from a file, because the parsers stream from files), and stop the
/// process on anything but a result or an ``IngestError``. A Swift trap (bounds, overflow,
/// force unwrap) and AddressSanitizer reports stop it anyway; an error of another type would
/// reach the CLI as "exit 1, no message", so it counts as a crash too.
public enum FuzzInput {
    /// One file per process, in memory when /dev/shm exists.
    private static let path: String = {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let directory = "\(base)/qgate-fuzz-\(getpid())"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory + "/input"
    }()

    /// Reads the input as `format`, or with format detection when nil.
    public static func read(_ start: UnsafePointer<UInt8>, _ count: Int, as format: ReportFormat?) -> CInt {
        let data = Data(bytes: start, count: count)
        if format == nil {
            // Detection on the bytes alone must agree with itself and never trap.
            _ = FormatDetector.detect(prefix: data)
        }
        guard FileManager.default.createFile(atPath: path, contents: data) else { fatalError("cannot write \(path)") }
        let source = ReportSource(url: URL(fileURLWithPath: path), displayPath: "input")
        do {
            let report = try ReportReader.read(source, as: format)
            _ = FindingCounts(report.findings)
            _ = TestCounts(report.tests)
        } catch let error as IngestError {
            precondition(!error.description.isEmpty)
        } catch {
            fatalError("not an IngestError: \(type(of: error)): \(error)")
        }
        return 0
    }
}
