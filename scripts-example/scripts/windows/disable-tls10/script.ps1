# Disables TLS 1.0 (and TLS 1.1 unless IncludeTls11 is "false") in SCHANNEL, server and client.
# Exit codes: 0 done (restart pending), 1 a registry write failed.
$ErrorActionPreference = 'Stop'

$protocols = @('TLS 1.0')
if ($env:IncludeTls11 -ne 'false') { $protocols += 'TLS 1.1' }

$base = 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols'
try {
    foreach ($protocol in $protocols) {
        foreach ($side in @('Server', 'Client')) {
            $key = Join-Path (Join-Path $base $protocol) $side
            New-Item -Path $key -Force | Out-Null
            New-ItemProperty -Path $key -Name Enabled -Value 0 -PropertyType DWord -Force | Out-Null
            New-ItemProperty -Path $key -Name DisabledByDefault -Value 1 -PropertyType DWord -Force | Out-Null
            Write-Output "$protocol $side disabled"
        }
    }
} catch {
    Write-Output "Could not write the SCHANNEL settings: $($_.Exception.Message)"
    exit 1
}

Write-Output 'Restart the machine for SCHANNEL to apply the change'
exit 0
