// Checks packaging/kubernetes/ (CTest: k8s_manifest_valid, label packaging):
// - every YAML document of *.yaml parses and is valid against the Kubernetes API schema, with the
//   kubernetes-models class of its apiVersion and kind (`new Job(obj).validate()`), and has no
//   field the schema does not know (the API server's strict field validation refuses those; the
//   models' validators ignore them, so the fields the validator reads are recorded and compared);
// - the worker Job is an Indexed Job as README.md describes it: completionMode Indexed,
//   completions, parallelism and backoffLimitPerIndex set, a podFailurePolicy the API server
//   accepts with them, restartPolicy Never, a grace period long enough for the drain on SIGTERM,
//   the container's command the image's entrypoint (the path the Containerfile installs it at),
//   SYNCDESK_CATALOG and PGPASSWORD from a Secret, the destination's credentials from a Secret, no
//   credential-like variable with a literal value, a non-root read-only container with resource
//   requests and limits, the dataset volume read-only;
// - Secrets appear only in *.example.yaml, with placeholder values (REPLACE_ME), and hold every
//   key the Job reads from them;
// - entrypoint.sh passes `sh -n` (and dash's, and shellcheck's when installed);
// - and the checks themselves: broken copies of the Job (an unknown field, a wrong enum, a wrong
//   type, a literal password, no backoffLimitPerIndex) must each be refused.
// The npm packages come from packaging/install-test-npm.sh: $SYNCDESK_TEST_NPM, else
// BUILD/test-npm, else SOURCE/build/test-npm. Missing packages are a failure, not a skip.
// usage: node validate-k8s.mjs SOURCE_DIR BUILD_DIR
import { createRequire } from "node:module";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const [sourceDir, buildDir] = process.argv.slice(2);
if (!sourceDir || !buildDir) {
  console.error("usage: node validate-k8s.mjs SOURCE_DIR BUILD_DIR");
  process.exit(2);
}
const k8sDir = path.join(sourceDir, "packaging", "kubernetes");

const npmCandidates = [process.env.SYNCDESK_TEST_NPM, path.join(buildDir, "test-npm"),
  path.join(sourceDir, "build", "test-npm")].filter(Boolean);
const npmDir = npmCandidates.find((d) =>
  fs.existsSync(path.join(d, "node_modules", "kubernetes-models", "package.json")) &&
  fs.existsSync(path.join(d, "node_modules", "yaml", "package.json")));
if (!npmDir) {
  console.error(`kubernetes-models and yaml are not installed in ${npmCandidates.join(" or ")}: ` +
    "run packaging/install-test-npm.sh (or set SYNCDESK_TEST_NPM to a folder with them)");
  process.exit(1);
}
const require = createRequire(path.join(npmDir, "package.json"));
const YAML = require("yaml");
const modelsDir = path.dirname(require.resolve("kubernetes-models/package.json"));

// --- the Kubernetes API schema ---------------------------------------------------------------

function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const modulePath = path.join(modelsDir, group, version, `${kind}.js`);
  const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);
  const schemaName = `IoK8sApi${cap(group ? group.split(".")[0] : "core")}${cap(version)}${kind}`;
  const schemaPath = path.join(modelsDir, "_schemas", `${schemaName}.js`);
  if (!fs.existsSync(modulePath) || !fs.existsSync(schemaPath))
    return null;
  return { Model: require(modulePath)[kind], validate: require(schemaPath).validate };
}

function isPlainObject(v) {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

// A copy of `value` whose objects record which of their fields the validator reads; every field
// of the schema is read (present or not), so a field never read is one the schema lacks.
function tracked(value, where, records) {
  if (Array.isArray(value))
    return value.map((v, i) => tracked(v, `${where}[${i}]`, records));
  if (!isPlainObject(value))
    return value;
  const copy = {};
  for (const [k, v] of Object.entries(value))
    copy[k] = tracked(v, where ? `${where}.${k}` : k, records);
  const read = new Set();
  records.push({ where, keys: Object.keys(value), read });
  return new Proxy(copy, {
    get(target, key, receiver) {
      if (typeof key === "string")
        read.add(key);
      return Reflect.get(target, key, receiver);
    },
  });
}

function schemaProblems(doc) {
  const { apiVersion, kind } = doc;
  if (typeof apiVersion !== "string" || typeof kind !== "string")
    return ["no apiVersion or kind"];
  const model = modelFor(apiVersion, kind);
  if (!model)
    return [`${apiVersion} ${kind} is not a kind of the Kubernetes API`];
  const problems = [];
  try {
    new model.Model(doc).validate();
  } catch (e) {
    problems.push(`not valid against the Kubernetes API schema: ${e.message}`);
  }
  const records = [];
  model.validate(tracked(doc, "", records));
  for (const { where, keys, read } of records)
    for (const k of keys)
      if (!read.has(k))
        problems.push(`unknown field ${where ? `${where}.` : ""}${k}`);
  return problems;
}

// --- what README.md says of the worker Job -----------------------------------------------------

const credentialLike = /PASSWORD|PASSWD|SECRET|TOKEN|KEY|CREDENTIAL|CATALOG|_AK$|_SK$/i;

function containerfileFacts() {
  const text = fs.readFileSync(path.join(k8sDir, "Containerfile"), "utf8");
  const copy = text.match(/^COPY\s+entrypoint\.sh\s+(\S+)\s*$/m);
  const entrypoint = text.match(/^ENTRYPOINT\s+(\[.*\])\s*$/m);
  const user = text.match(/^USER\s+(\d+)(?::(\d+))?\s*$/m);
  return {
    from: (text.match(/^FROM\s+(\S+)/m) || [])[1],
    installs: /apt-get install[^\n]*(\\\n[^\n]*)*syncdesk_\*\.deb/.test(text),
    entrypointPath: copy ? copy[1] : null,
    entrypoint: entrypoint ? JSON.parse(entrypoint[1]) : null,
    uid: user ? Number(user[1]) : null,
  };
}

function jobProblems(job, image) {
  const p = [];
  const spec = job.spec || {};
  const pod = spec.template?.spec || {};
  if (spec.completionMode !== "Indexed")
    p.push(`spec.completionMode is ${spec.completionMode}, not Indexed`);
  for (const f of ["completions", "parallelism", "backoffLimitPerIndex"])
    if (!Number.isInteger(spec[f]))
      p.push(`spec.${f} is not set`);
  if (spec.parallelism > spec.completions)
    p.push("spec.parallelism exceeds spec.completions: the pods past the completions never start");
  if (spec.maxFailedIndexes !== undefined &&
      (spec.backoffLimitPerIndex === undefined || spec.maxFailedIndexes > spec.completions))
    p.push("spec.maxFailedIndexes needs backoffLimitPerIndex and may not exceed completions");
  if (pod.restartPolicy !== "Never")
    p.push(`restartPolicy is ${pod.restartPolicy}, not Never`);
  const containers = pod.containers || [];
  // The API server's rules for a pod failure policy (not in the OpenAPI schema).
  for (const [i, rule] of (spec.podFailurePolicy?.rules || []).entries()) {
    const at = `spec.podFailurePolicy.rules[${i}]`;
    if (!!rule.onExitCodes === !!rule.onPodConditions)
      p.push(`${at} needs exactly one of onExitCodes and onPodConditions`);
    if (rule.action === "FailIndex" && spec.backoffLimitPerIndex === undefined)
      p.push(`${at}: FailIndex needs spec.backoffLimitPerIndex`);
    const codes = rule.onExitCodes;
    if (codes) {
      if (codes.containerName && !containers.some((c) => c.name === codes.containerName))
        p.push(`${at} names the container ${codes.containerName}, which the pod lacks`);
      if (codes.operator === "In" && (codes.values || []).includes(0))
        p.push(`${at}: exit code 0 cannot be a failure`);
    }
  }
  if (spec.podFailurePolicy && pod.restartPolicy !== "Never")
    p.push("a podFailurePolicy needs restartPolicy Never");
  if (!(pod.terminationGracePeriodSeconds >= 30))
    p.push("terminationGracePeriodSeconds is under 30 s: too short to drain and checkpoint");
  if (containers.length !== 1)
    return [...p, `the pod has ${containers.length} containers, not one worker`];
  const c = containers[0];
  if (!image.entrypointPath || JSON.stringify(c.command) !== JSON.stringify([image.entrypointPath]))
    p.push(`the command is ${JSON.stringify(c.command)}, not the image's entrypoint ${image.entrypointPath}`);
  if (c.args)
    p.push("the entrypoint takes no args");
  const env = new Map((c.env || []).map((e) => [e.name, e]));
  if (!env.has("SYNCDESK_RUN"))
    p.push("SYNCDESK_RUN is not set");
  for (const name of ["SYNCDESK_CATALOG", "PGPASSWORD"])
    if (!env.get(name)?.valueFrom?.secretKeyRef)
      p.push(`${name} does not come from a Secret (secretKeyRef)`);
  for (const e of c.env || [])
    if (e.value !== undefined && credentialLike.test(e.name))
      p.push(`${e.name} has a literal value: credentials come from a Secret`);
  if (!(c.envFrom || []).some((e) => e.secretRef?.name))
    p.push("no envFrom secretRef: the destination's credentials come from a Secret");
  const pc = pod.securityContext || {};
  const cc = c.securityContext || {};
  if (!(cc.runAsNonRoot ?? pc.runAsNonRoot))
    p.push("runAsNonRoot is not set");
  if (image.uid !== null && (cc.runAsUser ?? pc.runAsUser) !== image.uid)
    p.push(`runAsUser is not the image's user ${image.uid}`);
  if (cc.readOnlyRootFilesystem !== true)
    p.push("readOnlyRootFilesystem is not set");
  if (cc.allowPrivilegeEscalation !== false)
    p.push("allowPrivilegeEscalation is not false");
  for (const kind of ["requests", "limits"])
    for (const r of ["cpu", "memory"])
      if (c.resources?.[kind]?.[r] === undefined)
        p.push(`resources.${kind}.${r} is not set`);
  const claims = (pod.volumes || []).filter((v) => v.persistentVolumeClaim);
  if (claims.length === 0)
    p.push("no PersistentVolumeClaim for the dataset");
  for (const v of claims) {
    const mount = (c.volumeMounts || []).find((m) => m.name === v.name);
    if (!v.persistentVolumeClaim.readOnly || !mount?.readOnly)
      p.push(`the dataset volume ${v.name} is not mounted read-only`);
  }
  return p;
}

// The Secrets and keys a pod reads.
function secretsRead(job) {
  const wanted = [];
  for (const c of job.spec?.template?.spec?.containers || []) {
    for (const e of c.env || [])
      if (e.valueFrom?.secretKeyRef)
        wanted.push({ name: e.valueFrom.secretKeyRef.name, key: e.valueFrom.secretKeyRef.key });
    for (const e of c.envFrom || [])
      if (e.secretRef)
        wanted.push({ name: e.secretRef.name });
  }
  for (const v of job.spec?.template?.spec?.volumes || [])
    if (v.secret)
      wanted.push({ name: v.secret.secretName });
  return wanted;
}

function secretProblems(secret, file) {
  const p = [];
  if (!file.endsWith(".example.yaml"))
    p.push("a Secret outside *.example.yaml: secrets are created in the cluster, not kept here");
  const values = { ...secret.stringData };
  for (const [k, v] of Object.entries(secret.data || {}))
    values[k] = Buffer.from(String(v), "base64").toString("utf8");
  for (const [k, v] of Object.entries(values))
    if (!String(v).includes("REPLACE_ME"))
      p.push(`${k} is not a placeholder (REPLACE_ME): no secret value belongs in the repository`);
  return p;
}

// --- the run ------------------------------------------------------------------------------------

const failures = [];
const fail = (what, problems) => problems.forEach((m) => failures.push(`${what}: ${m}`));
const image = containerfileFacts();
if (image.from !== "debian:12-slim")
  fail("Containerfile", [`FROM ${image.from}, not debian:12-slim`]);
if (!image.installs)
  fail("Containerfile", ["does not apt-get install the syncdesk_*.deb"]);
if (!image.entrypoint || image.entrypoint[0] !== image.entrypointPath)
  fail("Containerfile", [`ENTRYPOINT ${JSON.stringify(image.entrypoint)} is not entrypoint.sh (${image.entrypointPath})`]);

const yamlFiles = fs.readdirSync(k8sDir).filter((f) => f.endsWith(".yaml")).sort();
if (!yamlFiles.includes("worker-job.yaml"))
  fail(k8sDir, ["worker-job.yaml is missing"]);
const jobs = [];
const secrets = new Map();
let documents = 0;
for (const file of yamlFiles) {
  const text = fs.readFileSync(path.join(k8sDir, file), "utf8");
  YAML.parseAllDocuments(text, { prettyErrors: true, uniqueKeys: true }).forEach((d, i) => {
    const what = `${file} document ${i + 1}`;
    if (d.errors.length || d.warnings.length) {
      fail(what, [...d.errors, ...d.warnings].map((e) => e.message));
      return;
    }
    const doc = d.toJS();
    if (doc === null || doc === undefined)
      return;
    ++documents;
    const name = `${file}: ${doc.kind} ${doc.metadata?.name}`;
    fail(name, schemaProblems(doc));
    if (doc.kind === "Job") {
      jobs.push(doc);
      fail(name, jobProblems(doc, image));
    } else if (doc.kind === "Secret") {
      secrets.set(doc.metadata?.name, doc);
      fail(name, secretProblems(doc, file));
    }
  });
}
if (jobs.length !== 1)
  fail(k8sDir, [`${jobs.length} Jobs, not the one worker Job`]);
for (const job of jobs)
  for (const { name, key } of secretsRead(job)) {
    const s = secrets.get(name);
    if (!s)
      fail(`Job ${job.metadata?.name}`, [`reads the Secret ${name}, which secrets.example.yaml does not show`]);
    else if (key && !(key in { ...s.stringData, ...s.data }))
      fail(`Job ${job.metadata?.name}`, [`reads ${name}.${key}, which secrets.example.yaml does not show`]);
  }

// The checks must catch a broken Job: each of these copies has to be refused.
if (jobs.length === 1) {
  const broken = {
    "an unknown field": (j) => { j.spec.parallelizm = 4; },
    "an unknown field in the container": (j) => { j.spec.template.spec.containers[0].imag = "x"; },
    "a wrong enum value": (j) => { j.spec.completionMode = "Indexd"; },
    "a wrong type": (j) => { j.spec.parallelism = "four"; },
    "a wrong quantity": (j) => { j.spec.template.spec.containers[0].resources.limits.memory = "lots"; },
    "a literal password": (j) => {
      const e = j.spec.template.spec.containers[0].env.find((v) => v.name === "PGPASSWORD");
      delete e.valueFrom;
      e.value = "hunter2";
    },
    "no backoffLimitPerIndex": (j) => { delete j.spec.backoffLimitPerIndex; delete j.spec.maxFailedIndexes; },
    "not Indexed": (j) => { j.spec.completionMode = "NonIndexed"; },
  };
  for (const [what, breakIt] of Object.entries(broken)) {
    const j = structuredClone(jobs[0]);
    breakIt(j);
    if (schemaProblems(j).length === 0 && jobProblems(j, image).length === 0)
      failures.push(`the checks accept a Job with ${what}`);
  }
}

// entrypoint.sh: POSIX sh that parses, executable, and clean for shellcheck when it is there.
const entrypoint = path.join(k8sDir, "entrypoint.sh");
if ((fs.statSync(entrypoint).mode & 0o111) === 0)
  failures.push("entrypoint.sh is not executable");
if (!fs.readFileSync(entrypoint, "utf8").startsWith("#!/bin/sh\n"))
  failures.push("entrypoint.sh does not start with #!/bin/sh");
const shells = [["sh", ["-n", entrypoint]], ["dash", ["-n", entrypoint]],
  ["shellcheck", ["-s", "sh", entrypoint]]];
for (const [tool, args] of shells) {
  const r = spawnSync(tool, args, { encoding: "utf8" });
  if (r.error?.code === "ENOENT" && tool !== "sh") {
    console.log(`${tool} is not installed: skipped`);
    continue;
  }
  if (r.status !== 0)
    failures.push(`${tool} ${args.join(" ")}: ${(r.stdout || "") + (r.stderr || "") || r.error}`);
}

if (failures.length) {
  for (const f of failures)
    console.error(`FAIL ${f}`);
  process.exit(1);
}
console.log(`${documents} Kubernetes documents in ${yamlFiles.join(", ")} are valid ` +
  `(kubernetes-models ${require("kubernetes-models/package.json").version}); entrypoint.sh parses`);
