/**
 * DHCP `off` mode: Metalbox serves TFTP and HTTP, and the operator's own DHCP server points machines at
 * it. These are the exact lines for the common servers, filled in with this box's address.
 */
export interface OffModeTarget {
  /** Metalbox's advertised address. */
  address: string;
  httpPort: number;
  /** The provisioning subnet's network address, for dnsmasq's proxy range (e.g. 192.168.1.0). */
  network: string;
}

export function offModeInstructions(t: OffModeTarget): string {
  const script = `http://${t.address}:${t.httpPort}/boot.ipxe`;
  return [
    '# dnsmasq, beside the DHCP server that already hands out addresses (proxy mode):',
    `dhcp-range=${t.network},proxy`,
    'dhcp-userclass=set:ipxe,iPXE',
    `pxe-service=tag:!ipxe,x86PC,"Metalbox",undionly.kpxe,${t.address}`,
    `pxe-service=tag:!ipxe,X86-64_EFI,"Metalbox",ipxe.efi,${t.address}`,
    `pxe-service=tag:!ipxe,ARM64_EFI,"Metalbox",ipxe-arm64.efi,${t.address}`,
    `dhcp-boot=tag:ipxe,${script}`,
    '',
    '# dnsmasq that is itself the DHCP server: the same, without the proxy range.',
    '',
    '# ISC dhcpd (inside the subnet declaration of the provisioning network):',
    'option arch code 93 = unsigned integer 16;   # at the top level of dhcpd.conf',
    `next-server ${t.address};`,
    'if exists user-class and option user-class = "iPXE" {',
    `  filename "${script}";`,
    '} elsif option arch = 00:07 or option arch = 00:09 {',
    '  filename "ipxe.efi";',
    '} elsif option arch = 00:0b {',
    '  filename "ipxe-arm64.efi";',
    '} else {',
    '  filename "undionly.kpxe";',
    '}',
    '',
    `# A home router: set "next server" / "TFTP server" (option 66) to ${t.address} and the boot file (option 67)`,
    '# to undionly.kpxe (BIOS) or ipxe.efi (UEFI); most routers allow only one of them.',
  ].join('\n');
}
