<#
.SYNOPSIS
Installs cloud_integration_tool and cssadmin on Windows (what install.sh does on Linux).

.DESCRIPTION
  .\install.ps1                 build, copy to PREFIX\lib\cloud_integration_tool, put cloud_integration_tool.cmd and
                                cssadmin.cmd in PREFIX\bin and PREFIX\bin on the user's PATH
  .\install.ps1 -Uninstall      remove them again (the Security World and its keys are never touched)
  .\install.ps1 -Prefix DIR     install somewhere else (default: %LOCALAPPDATA%\Programs\cloud_integration_tool,
                                one user, no administrator rights)
Needs the .NET 10 SDK (dotnet) to build. Run from PowerShell: powershell -ExecutionPolicy Bypass -File install.ps1
#>
[CmdletBinding()]
param(
    [switch]$Uninstall,
    [string]$Prefix = (Join-Path $env:LOCALAPPDATA 'Programs\cloud_integration_tool')
)
$ErrorActionPreference = 'Stop'
$here = $PSScriptRoot
$lib = Join-Path $Prefix 'lib\cloud_integration_tool'
$bin = Join-Path $Prefix 'bin'
$commands = @('cloud_integration_tool', 'cssadmin')
$marker = 'cloud_integration_tool installer'

function Fail([string]$message) {
    [Console]::Error.WriteLine("error: $message")
    exit 1
}

function Get-UserPath { [Environment]::GetEnvironmentVariable('Path', 'User') }

function Set-UserPath([string[]]$entries) {
    [Environment]::SetEnvironmentVariable('Path', (($entries | Where-Object { $_ }) -join ';'), 'User')
}

function Uninstall-Tool {
    foreach ($c in $commands) {
        $wrapper = Join-Path $bin "$c.cmd"
        if ((Test-Path -LiteralPath $wrapper) -and (Select-String -LiteralPath $wrapper -SimpleMatch $marker -Quiet)) {
            Remove-Item -LiteralPath $wrapper -Force
        }
    }
    if (Test-Path -LiteralPath $lib) { Remove-Item -LiteralPath $lib -Recurse -Force }
    $path = @((Get-UserPath) -split ';')
    if ($path -contains $bin) { Set-UserPath ($path | Where-Object { $_ -ne $bin }) }
    Write-Output "removed $($commands -join ' ') from $bin (key store directories are left as they are)"
}

if ($Uninstall) {
    Uninstall-Tool
    exit 0
}

if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) { Fail 'the .NET 10 SDK (dotnet) is needed to build the tool' }
$staging = Join-Path ([IO.Path]::GetTempPath()) ("cloud_integration_tool-" + [Guid]::NewGuid().ToString('N'))
try {
    # ReadyToRun: start-up is part of a command-line tool's speed. Framework-dependent: the SDK that builds it brings
    # the runtime. The same build as scripts/build.sh on Linux, for win-x64 or win-arm64.
    $rid = if ([Runtime.InteropServices.RuntimeInformation]::OSArchitecture -eq 'Arm64') { 'win-arm64' } else { 'win-x64' }
    $log = & dotnet publish (Join-Path $here 'src\CloudIntegration\CloudIntegration.csproj') -c Release -r $rid `
        --self-contained false -p:PublishReadyToRun=true -o (Join-Path $staging 'app') --nologo -v q 2>&1
    if ($LASTEXITCODE -ne 0) {
        $log | ForEach-Object { [Console]::Error.WriteLine($_) }
        Fail 'the build failed (see above)'
    }
    New-Item -ItemType Directory -Force -Path $bin, (Split-Path $lib) | Out-Null
    $new = "$lib.new"
    if (Test-Path -LiteralPath $new) { Remove-Item -LiteralPath $new -Recurse -Force }
    Copy-Item -LiteralPath (Join-Path $staging 'app') -Destination $new -Recurse
    if (Test-Path -LiteralPath $lib) { Remove-Item -LiteralPath $lib -Recurse -Force }
    Move-Item -LiteralPath $new -Destination $lib
} finally {
    if (Test-Path -LiteralPath $staging) { Remove-Item -LiteralPath $staging -Recurse -Force }
}

foreach ($c in $commands) {
    $wrapper = Join-Path $bin "$c.cmd"
    # setlocal: the program name must not leak into the caller's console session.
    $text = @(
        '@echo off',
        "rem $marker`: runs the installed tool under the name $c.",
        'setlocal',
        "set `"CLOUD_INTEGRATION_PROGRAM=$c`"",
        "`"$lib\cloud_integration_tool.exe`" %*",
        'exit /b %ERRORLEVEL%'
    ) -join "`r`n"
    [IO.File]::WriteAllText("$wrapper.new", $text + "`r`n", [Text.Encoding]::ASCII)
    Move-Item -LiteralPath "$wrapper.new" -Destination $wrapper -Force
}

$path = @((Get-UserPath) -split ';')
if ($path -notcontains $bin) {
    Set-UserPath ($path + $bin)
    $env:Path = "$env:Path;$bin"
    Write-Output "added $bin to your PATH (new consoles see it)"
}
$version = & (Join-Path $bin 'cloud_integration_tool.cmd') --version
Write-Output "installed $($commands -join ' ') in $bin ($version)"
