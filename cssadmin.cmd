@echo off
rem Runs cssadmin from a checkout on Windows: builds it on first use, or when a source file is newer than the build.
setlocal
powershell -NoProfile -ExecutionPolicy Bypass -File "%~dp0scripts\launch.ps1" || exit /b 1
set "CLOUD_INTEGRATION_PROGRAM=cssadmin"
"%~dp0.build\win\cloud_integration_tool.exe" %*
exit /b %ERRORLEVEL%
