// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CityYuan} from "../../../contracts/CityYuan.sol";
import {Vm} from "./Vm.sol";

/// @dev The escrows' tests' reserve attester (and attester admin): an address apart from the test
/// contract, as CityYuan requires (the issuing and attesting sides never share an address).
address constant ESCROW_TESTS_ATTESTER = address(uint160(uint256(keccak256("escrow tests reserve attester"))));

/// @dev The longest report age a deployment may choose, so the escrows' tests rarely need a new one.
uint256 constant ESCROW_TESTS_REPORT_AGE = 92 days;

/// @dev A CityYuan for the escrows' tests, which are not about the token's roles: `owner` (the
/// test contract) is its admin and holds the issuer, compliance and pauser roles and may issue
/// without limit; {ESCROW_TESTS_ATTESTER} has attested reserves that never bind.
function deployCityYuanOwnedBy(address owner, uint48 adminDelay) returns (CityYuan token) {
    token = new CityYuan(owner, adminDelay, ESCROW_TESTS_ATTESTER, ESCROW_TESTS_ATTESTER, ESCROW_TESTS_REPORT_AGE);
    token.grantRole(token.ISSUER_ROLE(), owner);
    token.grantRole(token.COMPLIANCE_ROLE(), owner);
    token.grantRole(token.PAUSER_ROLE(), owner);
    token.increaseIssuerAllowance(owner, type(uint128).max);
    attestUnboundedReserves(token);
}

/// @dev The escrows' tests' attester publishes the largest reserves there can be, now.
function attestUnboundedReserves(CityYuan token) {
    Vm(address(uint160(uint256(keccak256("hevm cheat code"))))).prank(ESCROW_TESTS_ATTESTER);
    token.attestReserves(type(uint128).max, keccak256("reserve report"), "ipfs://report");
}

/// @dev Issues as the caller (the test contract, the issuer), first publishing a fresh reserve
/// report when the latest is too old to issue against (tests that move the clock far).
function issueWithFreshReport(CityYuan token, address to, uint256 amount, bytes32 bankRef) {
    if (block.timestamp > token.latestAttestationTime() + token.maxReportAge()) attestUnboundedReserves(token);
    token.issue(to, amount, bankRef);
}
