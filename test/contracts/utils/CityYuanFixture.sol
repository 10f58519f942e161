// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Shared fixture of the CityYuan tests: a CityYuan whose roles are held by separate accounts (so a
// test can call every privileged function from every wrong role), funded residents, a merchant,
// and helpers that sign permits the way a wallet does.

import {CityYuan} from "../../../contracts/CityYuan.sol";
import {TestBase} from "./Vm.sol";

abstract contract CityYuanFixture is TestBase {
    bytes32 internal constant BANK_REF = keccak256("BANK-DEPOSIT-0001");
    bytes32 internal constant ORDER_REF = keccak256("ORDER-2027-01-15-0001");
    bytes32 internal constant PERMIT_TYPEHASH = keccak256(
        "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
    );
    bytes32 internal constant EIP712_DOMAIN_TYPEHASH = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    );
    uint256 internal constant START = 1_800_000_000; // 2027-01-15, a realistic timestamp
    uint48 internal constant ADMIN_DELAY = 3 days;
    /// @dev How long a reserve attestation allows issuing (as the local deployment).
    uint256 internal constant MAX_REPORT_AGE = 35 days;
    uint256 internal constant ISSUER_LIMIT = 1e12; // 10 billion yuan
    uint256 internal constant FUNDING = 1_000_000; // 10,000.00 yuan
    /// @dev Bound for fuzzed amounts: the supply is a uint128.
    uint256 internal constant MAX_AMOUNT = type(uint128).max;

    CityYuan internal token;

    address internal admin = makeAddr("admin");
    address internal issuer = makeAddr("issuer");
    address internal compliance = makeAddr("compliance");
    address internal pauser = makeAddr("pauser");
    address internal attester = makeAddr("attester");
    address internal attesterAdmin = makeAddr("attester admin");
    address internal alice;
    uint256 internal alicePk;
    address internal bob = makeAddr("bob");
    address internal carol = makeAddr("carol");
    address internal merchant = makeAddr("merchant");

    function setUp() public virtual {
        vm.warp(START);
        (alice, alicePk) = makeAccount("alice");
        token = _deploy();
        vm.startPrank(admin);
        token.grantRole(token.ISSUER_ROLE(), issuer);
        token.grantRole(token.COMPLIANCE_ROLE(), compliance);
        token.grantRole(token.PAUSER_ROLE(), pauser);
        token.increaseIssuerAllowance(issuer, ISSUER_LIMIT);
        vm.stopPrank();
        _attest(type(uint128).max);
        _fund(alice, FUNDING);
        _fund(bob, FUNDING);
    }

    // ───────────────────────────── helpers ─────────────────────────────

    function makeAddr(string memory name) internal returns (address account) {
        account = vm.addr(uint256(keccak256(abi.encodePacked(name))));
        vm.label(account, name);
    }

    /// @dev A CityYuan as the fixture deploys it: `admin`, the attester admin and the first attester
    /// apart, reports valid for {MAX_REPORT_AGE}. No other role and no attestation yet.
    function _deploy() internal returns (CityYuan) {
        return new CityYuan(admin, ADMIN_DELAY, attesterAdmin, attester, MAX_REPORT_AGE);
    }

    uint256 private _deposits;

    /// @dev A bank reference never used before (one issue per reference).
    function _newBankRef() internal returns (bytes32) {
        return keccak256(abi.encode("BANK-DEPOSIT", ++_deposits));
    }

    /// @dev Issues `amount` to `account` under a fresh bank reference.
    function _fund(address account, uint256 amount) internal {
        vm.prank(issuer);
        token.issue(account, amount, _newBankRef());
    }

    /// @dev Lets the issuer issue up to the uint128 supply cap (for fuzzing big amounts).
    function _unlimitedIssuer() internal {
        uint256 current = token.issuerAllowance(issuer);
        vm.prank(admin);
        token.increaseIssuerAllowance(issuer, type(uint256).max - current);
    }

    /// @dev Publishes a reserve attestation of `reserves` fen (the fixture starts with the largest
    /// reserves there can be, so tests about anything but Secure Mint are not bounded by it).
    function _attest(uint256 reserves) internal {
        vm.prank(attester);
        token.attestReserves(reserves, keccak256(abi.encode("reserve report", reserves)), "ipfs://report");
    }

    /// @dev Sets `issuer`'s allowance to exactly `allowance` the only way the admin can: by
    /// increasing or decreasing it.
    function _setAllowance(address account, uint256 allowance) internal {
        uint256 current = token.issuerAllowance(account);
        vm.prank(admin);
        if (allowance >= current) token.increaseIssuerAllowance(account, allowance - current);
        else token.decreaseIssuerAllowance(account, current - allowance);
    }

    function _freeze(address account) internal {
        vm.prank(compliance);
        token.freeze(account, "court order 2027-001");
    }

    function _pause() internal {
        vm.prank(pauser);
        token.pause();
    }

    /// @dev Accounts the fuzzer may pick as residents: not zero, not a role holder, not the token.
    function _assumeResident(address account) internal view {
        vm.assume(account != address(0) && account != address(token) && account != address(vm));
        vm.assume(account != admin && account != issuer && account != compliance && account != pauser);
        vm.assume(
            account != attester && account != attesterAdmin && account != alice && account != bob && account != carol
        );
        vm.assume(account != merchant && account != address(this));
    }

    function _domainSeparator(
        string memory name,
        string memory version,
        uint256 chainId,
        address verifyingContract
    ) internal pure returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    EIP712_DOMAIN_TYPEHASH,
                    keccak256(bytes(name)),
                    keccak256(bytes(version)),
                    chainId,
                    verifyingContract
                )
            );
    }

    function _permitDigest(
        bytes32 domainSeparator,
        address owner,
        address spender,
        uint256 value,
        uint256 nonce,
        uint256 deadline
    ) internal pure returns (bytes32) {
        bytes32 structHash = keccak256(abi.encode(PERMIT_TYPEHASH, owner, spender, value, nonce, deadline));
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash));
    }

    /// @dev Signs a permit of `alice` for `spender` as her wallet would, on CityYuan's real domain.
    function _signPermit(
        address spender,
        uint256 value,
        uint256 nonce,
        uint256 deadline
    ) internal view returns (uint8 v, bytes32 r, bytes32 s) {
        bytes32 digest = _permitDigest(token.DOMAIN_SEPARATOR(), alice, spender, value, nonce, deadline);
        return vm.sign(alicePk, digest);
    }
}
