// Checks payloads with Microsoft's own tools, for tests/payloads/test_teams_payloads.py.
//
// Reads one JSON document on stdin:
//   {"cards": {"name": card, ...}, "maxVersion": "1.5",
//    "manifest": {...} | null, "localisation": {...} | null}
// and writes one on stdout: {"cards": {"name": [problem, ...]}, "manifest": [...], "localisation": [...]}.
//
// A card is parsed by the adaptivecards library (the renderer Teams is built on) for the highest
// schema version Teams renders: every parse warning (an unknown element, a property newer than that
// version, an invalid value) and every validation event is a problem, as is a card declaring a newer
// version. The app manifest and its localisation file are validated against the schemas the
// @microsoft/app-manifest package ships for the manifest's version (no network).

"use strict";

const fs = require("fs");
const path = require("path");
const AC = require("adaptivecards/dist/adaptivecards.js");
const { AppManifestUtils } = require("@microsoft/app-manifest");
const AjvDraft04 = require("ajv-draft-04").default;
const addFormats = require("ajv-formats").default;

function versionOf(text) {
  const [major, minor] = String(text).split(".").map(Number);
  return new AC.Version(major, minor);
}

function cardProblems(json, maxVersion) {
  const problems = [];
  const declared = versionOf(json.version);
  if (!declared.isValid || declared.compareTo(maxVersion) > 0) {
    problems.push(`version ${json.version} is newer than ${maxVersion.toString()}`);
  }
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(maxVersion);
  card.parse(json, context);
  for (let i = 0; i < context.eventCount; i++) {
    problems.push(`parse: ${context.getEventAt(i).message}`);
  }
  for (const event of card.validateProperties().validationEvents) {
    problems.push(`validate: ${event.message}`);
  }
  return problems;
}

function schemaFor(manifest, file) {
  const folder = path.dirname(require.resolve("@microsoft/app-manifest/package.json"));
  const where = path.join(folder, "build", "json-schemas", "teams", `v${manifest.manifestVersion}`, file);
  return JSON.parse(fs.readFileSync(where, "utf8"));
}

// The localisation schema's property patterns (`bots\[\b([0-9]|...)\b]`) are not valid as Unicode
// regular expressions, which ajv uses by default; otherwise it is checked as the package checks a
// manifest (draft-04, with the uri, email and regex formats).
function localisationProblems(localisation, manifest) {
  const ajv = new AjvDraft04({ allErrors: true, strictTypes: false, unicodeRegExp: false });
  addFormats(ajv, ["uri", "email", "regex"]);
  const validate = ajv.compile(schemaFor(manifest, "MicrosoftTeams.Localization.schema.json"));
  if (validate(localisation)) {
    return [];
  }
  return validate.errors.map((e) => `${e.instancePath} ${e.message}. Details: ${JSON.stringify(e.params)}`);
}

async function main() {
  const input = JSON.parse(fs.readFileSync(0, "utf8"));
  const maxVersion = versionOf(input.maxVersion || "1.5");
  const out = { cards: {}, manifest: [], localisation: [] };
  for (const [name, card] of Object.entries(input.cards || {})) {
    out.cards[name] = cardProblems(card, maxVersion);
  }
  if (input.manifest) {
    const schema = schemaFor(input.manifest, "MicrosoftTeams.schema.json");
    out.manifest = await AppManifestUtils.validateAgainstSchema(input.manifest, schema);
    if (input.localisation) {
      out.localisation = localisationProblems(input.localisation, input.manifest);
    }
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error));
  process.exit(1);
});
