import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { TEST_TYPES, testTemplate } from './templates.js';

const SUITE = `# squall suite (docs/suites.md). Run: npx squall suite --env local
name: my-service
environments:
  local: { baseUrl: http://localhost:8080 }
  staging: { baseUrl: https://staging.example.com }
  production:
    baseUrl: https://www.example.com
    production: true          # only the smoke test runs here unless --allow-production
    slo:
      smoke: [{ metric: http_req_duration, stat: p(95), target: 200 }]
ready:
  - { name: service up, url: "\${BASE_URL}/", timeout: 30s }
smoke:
  name: smoke
  script: tests/smoke.ts
  slo: [{ metric: http_req_duration, stat: p(95), target: 500, warn: 300 }]
tests:
${TEST_TYPES.filter((t) => t !== 'smoke').map((t) => `  - { name: ${t}, script: tests/${t}.ts, slo: [{ metric: http_req_failed, stat: rate, target: 0.05, warn: 0.01 }] }`).join('\n')}
archive: { keep: 30 }
notify:
  slack: \${SLACK_WEBHOOK_URL}
  githubSummary: true
`;

const GITHUB = `name: performance
on:
  schedule:
    - cron: '0 3 * * *'
  workflow_dispatch:
    inputs:
      scenario:
        description: Test to run
        type: choice
        default: smoke
        options: [smoke, ${TEST_TYPES.filter((t) => t !== 'smoke').join(', ')}, all]
      environment:
        description: Environment
        type: choice
        default: staging
        options: [local, staging, production]
jobs:
  suite:
    runs-on: ubuntu-latest
    timeout-minutes: 120
    env:
      SCENARIO: \${{ inputs.scenario || 'smoke' }}
      SQUALL_ENV: \${{ inputs.environment || 'staging' }}
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - run: npm ci
      # The report goes to the job summary (notify.githubSummary); Slack hears only of failures (last step).
      - name: squall suite
        run: npx squall suite --only "$SCENARIO" --env "$SQUALL_ENV" --html --summary
      - name: upload results
        if: always()
        uses: actions/upload-artifact@v4
        with:
          name: squall-results
          path: |
            reports/
            .squall/suites/
      - name: Slack on failure
        if: failure()
        env:
          SLACK_WEBHOOK_URL: \${{ secrets.SLACK_WEBHOOK_URL }}
          RUN_URL: \${{ github.server_url }}/\${{ github.repository }}/actions/runs/\${{ github.run_id }}
        run: |
          if [ -z "$SLACK_WEBHOOK_URL" ]; then echo "secret SLACK_WEBHOOK_URL is not set: no Slack message"; exit 0; fi
          text="squall suite failed: $SCENARIO on $SQUALL_ENV ($GITHUB_REPOSITORY): $RUN_URL"
          curl -fsS -X POST -H 'content-type: application/json' --data "$(jq -n --arg text "$text" '{text: $text}')" "$SLACK_WEBHOOK_URL"
`;

const GITLAB = `stages: [performance]
performance:
  stage: performance
  image: node:20
  rules:
    - if: $CI_PIPELINE_SOURCE == "schedule"
    - if: $CI_PIPELINE_SOURCE == "web"
  variables:
    SCENARIO: smoke
    SQUALL_ENV: staging
  script:
    - npm ci
    - npx squall suite --only "$SCENARIO" --env "$SQUALL_ENV" --html --summary --junit reports/junit.xml
  artifacts:
    when: always
    paths: [reports/, .squall/suites/]
    reports:
      junit: reports/junit.xml
`;

/** Files `squall init` writes: path -> content. */
export function scaffoldFiles(): Record<string, string> {
  const files: Record<string, string> = { 'squall.suite.yaml': SUITE, '.github/workflows/performance.yml': GITHUB, '.gitlab-ci.yml': GITLAB };
  for (const t of TEST_TYPES) files[`tests/${t}.ts`] = testTemplate(t, true);
  return files;
}

/** Writes the scaffold under `dir`; existing files are kept (listed in `kept`) unless `force`. */
export function writeScaffold(dir: string, force: boolean): { written: string[]; kept: string[] } {
  const written: string[] = [];
  const kept: string[] = [];
  for (const [rel, text] of Object.entries(scaffoldFiles())) {
    const p = join(dir, rel);
    if (existsSync(p) && !force) {
      kept.push(rel);
      continue;
    }
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
    written.push(rel);
  }
  return { written, kept };
}
