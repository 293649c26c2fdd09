#!/usr/bin/env bash
# System packages the tests need on a fresh Debian machine (as root, or with sudo):
# Chromium (end-to-end tests; its SwiftShader Vulkan driver also serves WebGPU in
# Node), the Vulkan loader (Dawn), and PyTorch + pytest for the training quick tests.
set -euo pipefail
packages=(chromium libvulkan1 python3-torch python3-numpy python3-pytest)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages present: ${packages[*]}"
  exit 0
fi
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
