// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CityYuan} from "../../../contracts/CityYuan.sol";

/// @dev A CityYuan for the escrows' tests, which are not about the token's roles: `owner` (the
/// test contract) is its admin and holds the issuer, compliance, pauser and attester roles, may
/// issue without limit, and has attested reserves that never bind.
function deployCityYuanOwnedBy(address owner, uint48 adminDelay) returns (CityYuan token) {
    token = new CityYuan(owner, adminDelay);
    token.grantRole(token.ISSUER_ROLE(), owner);
    token.grantRole(token.COMPLIANCE_ROLE(), owner);
    token.grantRole(token.PAUSER_ROLE(), owner);
    token.grantRole(token.ATTESTER_ROLE(), owner);
    token.increaseIssuerAllowance(owner, type(uint128).max);
    token.attestReserves(type(uint128).max, keccak256("reserve report"), "ipfs://report");
}
