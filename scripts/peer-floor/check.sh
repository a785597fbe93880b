#!/usr/bin/env bash
# Proves the floor of the peer ranges: installs the packed library (dist/js, from `npx projen
# package:js`) in a scratch folder beside the lowest aws-cdk-lib, constructs, cdk-nag and the optional
# @cdklabs/cdk-validator-cfnguard that package.json's peerDependencies admit, and synthesizes
# scripts/peer-floor/synth.js there under the public ComplianceProfile.
set -euo pipefail
cd "$(dirname "$0")/../.."
tarball="$(pwd)/$(ls dist/js/*.tgz | head -1)"
floor() { node -p "require('./package.json').peerDependencies['$1'].replace(/^[\\^~>=]+/, '')"; }
cdk=$(floor aws-cdk-lib); constructs=$(floor constructs); nag=$(floor cdk-nag); guard=$(floor @cdklabs/cdk-validator-cfnguard)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cp scripts/peer-floor/synth.js "$scratch/"
cd "$scratch"
echo '{ "name": "peer-floor", "private": true }' > package.json
echo "installing aws-cdk-lib@$cdk constructs@$constructs cdk-nag@$nag @cdklabs/cdk-validator-cfnguard@$guard and $(basename "$tarball")"
npm install --no-audit --no-fund --loglevel=error "aws-cdk-lib@$cdk" "constructs@$constructs" "cdk-nag@$nag" \
  "@cdklabs/cdk-validator-cfnguard@$guard" "$tarball"
node synth.js "$cdk"
