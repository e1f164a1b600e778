//! What the syntheses say to the action plan: the gaps the plan leaves (the
//! levers ranked highest and the weaknesses no fiche answers) and the
//! evidence shown beside a fiche.

pub mod evidence;
pub mod gaps;
