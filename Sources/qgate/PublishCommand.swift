import ArgumentParser
import Foundation
import QGateCore

/// `qgate publish`: the run's Markdown summary onto its pull/merge request, as one comment
/// that later runs update; optionally a GitHub check run.
struct Publish: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Post the run's summary to its pull/merge request (one comment, updated in place).",
        discussion: """
            The comment is exactly what `qgate report --run RUN --format markdown` prints. The provider, repository and \
            token come from the CI environment: GitHub Actions (GITHUB_REPOSITORY, GITHUB_API_URL, QGATE_TOKEN else \
            GITHUB_TOKEN) or GitLab CI (CI_API_V4_URL, CI_PROJECT_ID, CI_MERGE_REQUEST_IID, QGATE_TOKEN else GITLAB_TOKEN). \
            Exit status: 0 published (whatever the verdict), 2 nothing or not everything could be published.
            """
    )

    @OptionGroup var store: StoreOptions
    @Option(name: .customLong("run"), help: "The run: an id, a commit (prefix) or `latest`.") var runReference: String = "latest"
    @Option(help: "github or gitlab (default: detected from GITHUB_ACTIONS / GITLAB_CI).") var provider: ForgeProvider?
    @Option(
        name: .customLong("pr"),
        help: "The pull/merge request number (default: the run's). In a workflow_run workflow, take it from the event.")
    var pullRequest: Int?
    @Option(help: "The key of the summary's marker, as given to `qgate report --key`.") var key: String?
    @Flag(name: .customLong("check-run"), help: "GitHub: also write a check run named qgate with annotations of new findings.")
    var checkRun = false
    @Option(name: .customLong("head-sha"), help: "With --check-run: the commit to report on (default: the run's).")
    var headSHA: String?
    @Option(help: "With --check-run: a unified diff; only new findings on its changed lines are annotated.") var diff: String?
    @Option(name: .customLong("diff-base"), help: "With --check-run: annotate only lines changed since git diff REF...HEAD.")
    var diffBase: String?
    @Option(name: .customLong("max-wait"), help: "Longest rate-limit wait to honour, in seconds.") var maxWait: Int = 60
    @Option(help: "Time-out of one request, in seconds.") var timeout: Int = 30
    @Flag(name: .customLong("dry-run"), help: "Print the comment and where it would go; send nothing.") var dryRun = false

    func validate() throws {
        if diff != nil && diffBase != nil { throw ValidationError("Give --diff or --diff-base, not both.") }
        if maxWait < 0 || timeout < 1 { throw ValidationError("--max-wait must be 0 or more and --timeout at least 1.") }
    }

    func run() async throws {
        let changedLines = try ChangeLoader.load(diff: diff, diffBase: diffBase)?.changedLines
        let opened = try await store.open(create: false)
        let run = try await opened.resolveRun(runReference)
        let evaluation = try await opened.checkedEvaluation(runID: run.id, alternative: "publish another --run")
        let environment = ProcessInfo.processInfo.environment
        let target = try ForgeTarget.resolve(
            provider: provider, explicitPullRequest: pullRequest,
            runPullRequest: run.context.pullRequest, runID: run.id, environment: environment)
        let body = MarkdownReporter(options: .init(maxLength: 65_536, key: key)).render(evaluation)
        let checkRunPayload = try checkRun ? makeCheckRun(evaluation, run: run, target: target, changedLines: changedLines) : nil

        if dryRun {
            Terminal.standardOutput.write(body)
            var line = "dry run: would create or update qgate's comment on \(target) (\(body.utf16.count) characters)"
            if let checkRunPayload {
                line +=
                    " and write check run \(CheckRunPayload.name) on \(checkRunPayload.headSHA.prefix(12)) "
                    + "(\(checkRunPayload.conclusion), \(checkRunPayload.annotations.count) annotations)"
            }
            Terminal.standardError.line(line + "; nothing was sent")
            return
        }

        let http = ForgeHTTP(policy: RetryPolicy(maxWaitSeconds: maxWait, timeoutSeconds: timeout))
        do {
            let outcome = try await SummaryPublisher(forge: target.forge(http: http)).publish(body: body)
            switch outcome {
            case let .created(id): Terminal.standardOutput.line("created comment \(id) on \(target)")
            case let .updated(id): Terminal.standardOutput.line("updated comment \(id) on \(target)")
            }
            if let checkRunPayload {
                let id = try await target.publishCheckRun(checkRunPayload, http: http)
                Terminal.standardOutput.line(
                    "wrote check run \(id) (\(checkRunPayload.conclusion), "
                        + "\(checkRunPayload.annotations.count) annotations) on \(checkRunPayload.headSHA.prefix(12))")
            }
        } catch {
            await http.shutdown()
            throw error
        }
        await http.shutdown()
    }

    private func makeCheckRun(
        _ evaluation: Evaluation, run: Run, target: ForgeTarget,
        changedLines: [String: [Int]]?
    ) throws -> CheckRunPayload {
        guard target.provider == .github else { throw PublishError.checkRunNeedsGitHub }
        guard let sha = headSHA ?? run.context.commit else { throw PublishError.noCommit(runID: run.id) }
        let summary = MarkdownReporter(options: .init(maxLength: CheckRunPayload.summaryLimit, key: key)).render(evaluation)
        return CheckRunPayload(evaluation: evaluation, headSHA: sha, summary: summary, changedLines: changedLines)
    }
}

extension ForgeProvider: ExpressibleByArgument {}
