# Builds the tool for a checkout's cloud_integration_tool.cmd and cssadmin.cmd (the Windows counterpart of
# scripts/launch): on first use, or when a source file is newer than the build. Prints nothing when up to date.
$ErrorActionPreference = 'Stop'
$here = Split-Path $PSScriptRoot
$out = Join-Path $here '.build\win'
$app = Join-Path $out 'cloud_integration_tool.exe'
$stamp = Join-Path $out '.stamp'

function Test-Stale {
    if (-not (Test-Path -LiteralPath $app) -or -not (Test-Path -LiteralPath $stamp)) { return $true }
    $built = (Get-Item -LiteralPath $stamp).LastWriteTimeUtc
    $newer = Get-ChildItem -LiteralPath (Join-Path $here 'src') -Recurse -File -Include '*.cs', '*.csproj' |
        Where-Object { $_.LastWriteTimeUtc -gt $built } | Select-Object -First 1
    return $null -ne $newer
}

if (-not (Test-Stale)) { exit 0 }
[Console]::Error.WriteLine('note: building the tool (first use or sources changed)...')
New-Item -ItemType Directory -Force -Path $out | Out-Null
# Two launches at once must not build over each other: an exclusive open of the lock file serialises them.
$lock = $null
while ($null -eq $lock) {
    try { $lock = [IO.File]::Open((Join-Path $out '.lock'), 'OpenOrCreate', 'ReadWrite', 'None') }
    catch [IO.IOException] { Start-Sleep -Milliseconds 200 }
}
try {
    if (Test-Stale) {
        $rid = if ([Runtime.InteropServices.RuntimeInformation]::OSArchitecture -eq 'Arm64') { 'win-arm64' } else { 'win-x64' }
        $log = & dotnet publish (Join-Path $here 'src\CloudIntegration\CloudIntegration.csproj') -c Release -r $rid `
            --self-contained false -p:PublishReadyToRun=true -o $out --nologo -v q 2>&1
        if ($LASTEXITCODE -ne 0) {
            $log | ForEach-Object { [Console]::Error.WriteLine($_) }
            [Console]::Error.WriteLine('error: the build failed (see above)')
            exit 1
        }
        Set-Content -LiteralPath $stamp -Value ''
    }
} finally {
    $lock.Dispose()
}
