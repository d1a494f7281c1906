/// Which tool wrote a JUnit file, which decides what its testcases mean: lint messages
/// (flake8, pylint), type errors (mypy), or tests (pytest and every other xUnit producer).
enum JUnitDialect: Equatable, Sendable {
    case flake8
    case pylint
    case mypy
    case tests(XUnitProducer)

    /// The producers of real tests that qgate tells apart; anything else is `junit`.
    enum XUnitProducer: String, Sendable {
        case pytest
        case junit
    }

    /// The dialect a `--tool` name asks for, so that an override also changes how the file
    /// is read; nil for names that are not one of the linters (they are read as tests).
    init?(toolName: String) {
        switch toolName.lowercased() {
        case "flake8": self = .flake8
        case "pylint": self = .pylint
        case "mypy": self = .mypy
        case "pytest": self = .tests(.pytest)
        default: return nil
        }
    }

    /// Judges the clues found in the content, strongest first: mypy and flake8 name their
    /// suites, pylint-junit 0.3 its classname; then pytest's own marks; then pylint-junit 0.2's
    /// `module:line:col` testcase names; what is left is a test report of some xUnit producer.
    static func detect(_ evidence: JUnitEvidence) -> JUnitDialect {
        if evidence.mypy { return .mypy }
        if evidence.flake8 { return .flake8 }
        if evidence.pylint { return .pylint }
        if evidence.pytest { return .tests(.pytest) }
        if evidence.pylintTestNames { return .pylint }
        return .tests(.junit)
    }

    /// The tool name a report of this dialect is stored under.
    var tool: String {
        switch self {
        case .flake8: "flake8"
        case .pylint: "pylint"
        case .mypy: "mypy"
        case .tests(let producer): producer.rawValue
        }
    }
}
