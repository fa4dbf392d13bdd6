# Turns Microsoft Defender real-time protection on and keeps a policy from turning it off again.
# Exit codes: 0 enabled, 1 Defender is not available, 2 still disabled (tamper protection or a
# third-party antivirus may be in control).
$ErrorActionPreference = 'Stop'

if (-not (Get-Command Set-MpPreference -ErrorAction SilentlyContinue)) {
    Write-Output 'Microsoft Defender cmdlets are not available on this machine'
    exit 1
}

# A local or domain policy value of 1 here wins over Set-MpPreference.
$policy = 'HKLM:\SOFTWARE\Policies\Microsoft\Windows Defender\Real-Time Protection'
if (Test-Path $policy) {
    $current = Get-ItemProperty -Path $policy -Name DisableRealtimeMonitoring -ErrorAction SilentlyContinue
    if ($current -and $current.DisableRealtimeMonitoring -ne 0) {
        Set-ItemProperty -Path $policy -Name DisableRealtimeMonitoring -Value 0 -Type DWord
        Write-Output 'Removed the policy that disabled real-time monitoring'
    }
}

Set-MpPreference -DisableRealtimeMonitoring $false
Set-MpPreference -DisableBehaviorMonitoring $false
Set-MpPreference -DisableIOAVProtection $false

$status = Get-MpComputerStatus
if ($status.RealTimeProtectionEnabled) {
    Write-Output 'Real-time protection is enabled'
    exit 0
}
Write-Output 'Real-time protection is still disabled; check tamper protection and any third-party antivirus'
exit 2
