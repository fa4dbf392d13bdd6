# Disables SMBv1 on the server and client side. Exit codes: 0 done, 1 a step failed.
# A restart is needed before the client driver is really unloaded.
$ErrorActionPreference = 'Stop'
$failed = $false

try {
    Set-SmbServerConfiguration -EnableSMB1Protocol $false -Force
    Write-Output 'SMBv1 server protocol disabled'
} catch {
    Write-Output "Could not disable the SMBv1 server protocol: $($_.Exception.Message)"
    $failed = $true
}

# The SMB1 client driver (mrxsmb10): start type 4 = disabled; the workstation service must
# then stop depending on it.
$driver = 'HKLM:\SYSTEM\CurrentControlSet\Services\mrxsmb10'
if (Test-Path $driver) {
    try {
        Set-ItemProperty -Path $driver -Name Start -Value 4 -Type DWord
        & sc.exe config lanmanworkstation depend= bowser/mrxsmb20/nsi | Out-Null
        Write-Output 'SMBv1 client driver disabled'
    } catch {
        Write-Output "Could not disable the SMBv1 client driver: $($_.Exception.Message)"
        $failed = $true
    }
}

# Windows 8.1 / Server 2012 R2 and later ship SMB1 as an optional feature: remove it too.
if (Get-Command Get-WindowsOptionalFeature -ErrorAction SilentlyContinue) {
    $feature = Get-WindowsOptionalFeature -Online -FeatureName SMB1Protocol -ErrorAction SilentlyContinue
    if ($feature -and $feature.State -ne 'Disabled') {
        try {
            Disable-WindowsOptionalFeature -Online -FeatureName SMB1Protocol -NoRestart | Out-Null
            Write-Output 'SMB1Protocol optional feature disabled (restart pending)'
        } catch {
            Write-Output "Could not disable the SMB1Protocol feature: $($_.Exception.Message)"
            $failed = $true
        }
    }
}

if ($failed) { exit 1 }
exit 0
