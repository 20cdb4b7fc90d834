import { describe, expect, it } from 'vitest';
import { HostTable } from '../../../shared/graph/hosts.js';
import { inCidr, parseCidr } from '../../../shared/graph/cidr.js';

describe('CIDR blocks', () => {
  const hosts = new HostTable();
  const ids = ['10.1.2.3', '10.255.0.1', '11.0.0.1', '192.168.10.120', '2001:db8::1', '2001:db9::1', 'fe80::1'].map((a) => hosts.internText(a));
  const members = (text: string) => {
    const c = parseCidr(text)!;
    return ids.filter((id) => inCidr(c, hosts.family, hosts.words, id)).map((id) => hosts.address(id));
  };

  it('finds the hosts of IPv4 and IPv6 blocks, host bits of the block ignored', () => {
    expect(members('10.0.0.0/8')).toEqual(['10.1.2.3', '10.255.0.1']);
    expect(members('10.1.2.99/24')).toEqual(['10.1.2.3']);
    expect(members('0.0.0.0/0')).toEqual(['10.1.2.3', '10.255.0.1', '11.0.0.1', '192.168.10.120']);
    expect(members('192.168.10.120')).toEqual(['192.168.10.120']);
    expect(members('2001:db8::/32')).toEqual(['2001:db8::1']);
    expect(members('2001:db8::/31')).toEqual(['2001:db8::1', '2001:db9::1']);
    expect(members('::/0')).toEqual(['2001:db8::1', '2001:db9::1', 'fe80::1']);
  });

  it('refuses what is not a block', () => {
    for (const bad of ['10.0.0.0/33', '10.0.0/8', 'fe80::/129', 'x/8', '10.0.0.0/', '10.0.0.0/8/8']) expect(parseCidr(bad), bad).toBeNull();
  });
});
