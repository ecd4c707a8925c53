#!/usr/bin/env bash
# Refresh the JavaScript that the web dashboard and the tip portal ship (no CDN at run time).
#
# Fetches pinned versions from the npm registry, checks their sha256 against the values below,
# and copies the minified builds and licences into src/smokewatch/webkit/static/vendor/.
# Bump a version: change it here, run the script, review the diff, update the hashes.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ECHARTS=5.6.0
HTMX=2.0.11
declare -A SHA256=(
    [echarts.min.js]=bf4a223524e40b77c304bec67e1222cf551f14880cf42c69dc046558e11c07b1
    [htmx.min.js]=d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717
)
out=src/smokewatch/webkit/static/vendor
work=$(mktemp -d)
trap 'rm -rf "${work}"' EXIT

(cd "${work}" && npm pack --silent "echarts@${ECHARTS}" "htmx.org@${HTMX}" >/dev/null)
mkdir -p "${work}/echarts" "${work}/htmx"
tar xzf "${work}/echarts-${ECHARTS}.tgz" -C "${work}/echarts"
tar xzf "${work}/htmx.org-${HTMX}.tgz" -C "${work}/htmx"

cp "${work}/echarts/package/dist/echarts.min.js" "${out}/echarts.min.js"
cp "${work}/echarts/package/LICENSE" "${out}/LICENSE.echarts.txt"
cp "${work}/echarts/package/NOTICE" "${out}/NOTICE.echarts.txt"
cp "${work}/htmx/package/dist/htmx.min.js" "${out}/htmx.min.js"
cp "${work}/htmx/package/LICENSE" "${out}/LICENSE.htmx.txt"

for file in "${!SHA256[@]}"; do
    echo "${SHA256[$file]}  ${out}/${file}" | sha256sum --check --quiet
done
echo "vendored echarts ${ECHARTS} and htmx ${HTMX} into ${out}"
