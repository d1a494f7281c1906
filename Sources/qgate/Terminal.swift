import Foundation

/// Writes lines to a stream, with colour only on a terminal and never when NO_COLOR is set.
struct Terminal {
    let handle: FileHandle
    let colours: Bool

    static let standardOutput = Terminal(handle: .standardOutput, descriptor: 1)
    static let standardError = Terminal(handle: .standardError, descriptor: 2)

    init(handle: FileHandle, descriptor: Int32) {
        self.handle = handle
        let noColor = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        colours = isatty(descriptor) == 1 && !noColor
    }

    func line(_ text: String) {
        handle.write(Data((text + "\n").utf8))
    }

    func write(_ text: String) {
        handle.write(Data(text.utf8))
    }

    enum Colour: String {
        case red = "31", green = "32", yellow = "33", bold = "1", dim = "2"
    }

    func paint(_ text: String, _ colour: Colour) -> String {
        colours ? "\u{1B}[\(colour.rawValue)m\(text)\u{1B}[0m" : text
    }
}
