/// The child elements of a `<testcase>` that say how it went. The rerun kinds are Maven
/// Surefire's: a test that failed and then passed carries `flaky*`, one that kept failing
/// carries `rerun*` beside its `<failure>`.
enum JUnitOutcomeKind: String, CaseIterable, Sendable {
    case failure, error, skipped, flakyFailure, flakyError, rerunFailure, rerunError

    init?(element name: XMLName) {
        guard let kind = JUnitOutcomeKind.allCases.first(where: { name.is($0.elementName) }) else { return nil }
        self = kind
    }

    private var elementName: StaticString {
        switch self {
        case .failure: "failure"
        case .error: "error"
        case .skipped: "skipped"
        case .flakyFailure: "flakyFailure"
        case .flakyError: "flakyError"
        case .rerunFailure: "rerunFailure"
        case .rerunError: "rerunError"
        }
    }

    /// A failure or error: what linters use to carry a message.
    var isProblem: Bool { self == .failure || self == .error }
    var isRerun: Bool { [.flakyFailure, .flakyError, .rerunFailure, .rerunError].contains(self) }
}

/// One `<failure>`, `<error>`, `<skipped>` or rerun element, with its text bounded.
struct JUnitOutcome: Sendable {
    var kind: JUnitOutcomeKind
    var message: String?
    var type: String?
    /// flake8_junit writes the location on the `<failure>` itself.
    var file: String?
    var line: Int?
    var column: Int?
    /// The element's text (and a Surefire `<stackTrace>` child's), cut at a limit.
    var text: String
}

/// One `<testcase>` as read, before anyone decides whether it is a test or a lint message.
struct JUnitTestCase: Sendable {
    /// The name of the innermost enclosing `<testsuite>`, or "" outside any.
    var suite: String
    var name: String
    var className: String?
    var file: String?
    var line: Int?
    var duration: Double?
    /// pylint-junit's `class` attribute: the message category (`convention`, `error`…).
    var category: String?
    var outcomes: [JUnitOutcome] = []
    /// mypy messages read line by line from the outcome text as it streamed by; only filled
    /// for testcases that look like mypy's.
    var mypyLines: [MypyLine] = []
}

/// What the content says about which tool wrote the report. Gathered while streaming, judged
/// at the end by ``JUnitDialect/detect(_:)``.
struct JUnitEvidence: Sendable {
    /// A suite named `mypy`, or a testcase with `classname="mypy"`.
    var mypy = false
    /// mypy says it stopped on a blocking error (an `<error>` child, or a non-zero `errors=`).
    var mypyBlockingError = false
    /// Suites named `flake8` / `flake8.<file>`, failures typed `flake8 CODE`, or testcases named `CODE, text`.
    var flake8 = false
    /// `classname="pylint"` (pylint-junit 0.3+), or a `<system-out>` saying `All checks passed for:`.
    var pylint = false
    /// Testcases named `module:line:col`, as pylint-junit names them: weaker, so a report that
    /// says pytest stays a test report.
    var pylintTestNames = false
    /// A suite named `pytest`, `<testsuites name="pytest tests">`, or `type="pytest.skip"`.
    var pytest = false
}

/// Everything the stream handler keeps from a JUnit file.
struct JUnitDocument: Sendable {
    var testCases: [JUnitTestCase] = []
    var evidence = JUnitEvidence()
    /// The sum of the suites' `flakes=` attributes (Surefire 3, Gradle), nil when none has one:
    /// only compared with the rerun markers found, never used as the count.
    var declaredFlakes: Int?
}
