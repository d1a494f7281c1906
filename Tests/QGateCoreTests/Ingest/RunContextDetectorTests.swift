import Foundation
import QGateCore
import Testing

@Suite struct RunContextDetectorTests {
    @Test func gitHubPullRequest() {
        let detector = RunContextDetector(environment: [
            "GITHUB_ACTIONS": "true", "GITHUB_SHA": "abc", "GITHUB_REF": "refs/pull/42/merge", "GITHUB_HEAD_REF": "feature",
            "GITHUB_BASE_REF": "main", "GITHUB_REF_NAME": "42/merge", "GITHUB_RUN_ID": "900", "GITHUB_RUN_ATTEMPT": "2",
            "GITHUB_JOB": "lint",
        ])
        // The attempt is not part of the run: a re-run of failed jobs joins the jobs that passed.
        #expect(detector.fromCI() == RunContext(commit: "abc", branch: "feature", baseBranch: "main", pullRequest: 42, pipeline: "900"))
        #expect(detector.jobFromCI() == JobContext(name: "lint", attempt: 2))
    }

    @Test func gitHubMatrixValuesNameTheJob() {
        let detector = RunContextDetector(environment: [
            "GITHUB_ACTIONS": "true", "GITHUB_RUN_ID": "900", "GITHUB_RUN_ATTEMPT": "1", "GITHUB_JOB": "test",
            "QGATE_MATRIX": #"{"python": "3.12", "os": "ubuntu-latest", "extra": {"a": 1}}"#,
        ])
        #expect(detector.jobFromCI() == JobContext(name: #"test (extra={"a":1}, os=ubuntu-latest, python=3.12)"#, attempt: 1))
        #expect(detector.resolveJob(flags: JobContext(name: "mine")) == JobContext(name: "mine", attempt: 1))
        let outsideMatrix = RunContextDetector(environment: ["GITHUB_ACTIONS": "true", "GITHUB_JOB": "test", "QGATE_MATRIX": "null"])
        #expect(outsideMatrix.jobFromCI() == JobContext(name: "test"))
    }

    @Test func gitLabRetryIsANewJobIDOfTheSameJobName() {
        let detector = RunContextDetector(environment: [
            "GITLAB_CI": "true", "CI_PIPELINE_ID": "55", "CI_JOB_NAME": "test: [3.12]", "CI_JOB_ID": "1234",
        ])
        #expect(detector.jobFromCI() == JobContext(name: "test: [3.12]", attempt: 1234))
    }

    @Test func gitHubPush() {
        let detector = RunContextDetector(environment: [
            "GITHUB_ACTIONS": "true", "GITHUB_SHA": "abc", "GITHUB_REF": "refs/heads/main", "GITHUB_REF_NAME": "main",
            "GITHUB_HEAD_REF": "", "GITHUB_RUN_ID": "900",
        ])
        #expect(detector.fromCI() == RunContext(commit: "abc", branch: "main", pipeline: "900"))
    }

    @Test func gitLabMergeRequest() {
        let detector = RunContextDetector(environment: [
            "GITLAB_CI": "true", "CI_COMMIT_SHA": "def", "CI_COMMIT_REF_NAME": "feature", "CI_MERGE_REQUEST_IID": "7",
            "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME": "feature", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main", "CI_PIPELINE_ID": "55",
        ])
        #expect(detector.fromCI() == RunContext(commit: "def", branch: "feature", baseBranch: "main", pullRequest: 7, pipeline: "55"))
    }

    @Test func jenkinsMultibranch() {
        let detector = RunContextDetector(environment: [
            "JENKINS_URL": "http://ci/", "GIT_COMMIT": "fff", "BRANCH_NAME": "PR-9", "CHANGE_BRANCH": "feature",
            "CHANGE_TARGET": "main", "CHANGE_ID": "9", "BUILD_TAG": "jenkins-proj-PR-9-3",
        ])
        #expect(
            detector.fromCI()
                == RunContext(commit: "fff", branch: "feature", baseBranch: "main", pullRequest: 9, pipeline: "jenkins-proj-PR-9-3"))
    }

    @Test func flagsWinOverTheEnvironment() {
        let detector = RunContextDetector(environment: [
            "GITLAB_CI": "true", "CI_COMMIT_SHA": "def", "CI_COMMIT_BRANCH": "main", "CI_PIPELINE_ID": "1",
        ])
        let resolved = detector.resolve(flags: RunContext(commit: "override"))
        #expect(resolved.commit == "override")
        #expect(resolved.branch == "main")
        #expect(resolved.pipeline == "1")
    }

    @Test func noCIMeansNothingFromTheEnvironment() {
        #expect(RunContextDetector(environment: ["HOME": "/root"]).fromCI() == RunContext())
    }
}
