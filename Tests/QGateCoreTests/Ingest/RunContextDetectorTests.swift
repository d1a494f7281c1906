import Foundation
import QGateCore
import Testing

@Suite struct RunContextDetectorTests {
    @Test func gitHubPullRequest() {
        let detector = RunContextDetector(environment: [
            "GITHUB_ACTIONS": "true", "GITHUB_SHA": "abc", "GITHUB_REF": "refs/pull/42/merge", "GITHUB_HEAD_REF": "feature",
            "GITHUB_BASE_REF": "main", "GITHUB_REF_NAME": "42/merge", "GITHUB_RUN_ID": "900", "GITHUB_RUN_ATTEMPT": "2",
        ])
        #expect(detector.fromCI() == RunContext(commit: "abc", branch: "feature", baseBranch: "main", pullRequest: 42, pipeline: "900-2"))
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
        #expect(detector.fromCI() == RunContext(commit: "fff", branch: "feature", baseBranch: "main", pullRequest: 9, pipeline: "jenkins-proj-PR-9-3"))
    }

    @Test func flagsWinOverTheEnvironment() {
        let detector = RunContextDetector(environment: ["GITLAB_CI": "true", "CI_COMMIT_SHA": "def", "CI_COMMIT_BRANCH": "main", "CI_PIPELINE_ID": "1"])
        let resolved = detector.resolve(flags: RunContext(commit: "override"))
        #expect(resolved.commit == "override")
        #expect(resolved.branch == "main")
        #expect(resolved.pipeline == "1")
    }

    @Test func noCIMeansNothingFromTheEnvironment() {
        #expect(RunContextDetector(environment: ["HOME": "/root"]).fromCI() == RunContext())
    }
}
