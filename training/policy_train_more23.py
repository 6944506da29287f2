# ruff: noqa: E501, RUF001 (hand-written posts: long lines and typographic dashes are the data)
"""A twenty-third writer's posts for the learned policy detector (session 33): every category, written subtly.

The voices are a site and facilities manager who writes long, rambling, chatty posts in northern
phrasing ("our kid", "mither", "nowt", "proper"); a learner-support assistant in her twenties who
writes in lower case text speak with emoji; an upbeat, blokey sports and enrichment coach; and an
apprenticeship employer-liaison officer who writes in corporate LinkedIn style, each of them also
running one of the ORG| accounts. The breaches mostly avoid their category's obvious words: menace
and pile-ons, unwanted compliments, disguised swearing and innuendo, sly generalisations about age,
sex, religion, race, disability and gender reassignment, moans about being overlooked, insinuated
fiddling and cheating, sneers at complainants and rival providers, hangovers at work and ticked-not-read
portfolios, forward-or-else messages, tender prices, mergers and restructures "between us", minutes left
on the photocopier and an unnamed learner's disclosure, a colleague's operation, divorce or record,
friend requests and "my insta is open", tagging learners with age, school and workplace, asking for
bank details and dates of birth in the comments, unlicensed music, photos and unattributed quotes,
"the college backs her 100%", sector opinions without the disclaimer, party campaigning and belittling
faith on the ORG| accounts, and taking sides on heated local and national rows; about a third of them are
one sentence inside an otherwise cheerful longer post. The near misses are welcomed banter, public
thanks, anti-bullying and awareness posts that name a prejudice to challenge it, fair complaints
through proper channels, neutral court reporting, scam warnings, announced partnerships, published
results dates, signposting, official channels, credited photos and quotes, formal references via HR,
posts with the disclaimer, neutral festival greetings and non-partisan voting reminders.
Each post was written on its own, from the policy, not from earlier posts.

{name} is replaced by a person's name, {org} by an organisation, {place} by a town,
{handle} by a handle (make_policy_train.py fills them).
"""

from __future__ import annotations

MORE23_BREACHES: dict[str, list[str]] = {}
MORE23_NEAR_MISSES: dict[str, list[str]] = {}

MORE23_BREACHES["harassment"] = [
    "ORG| @{handle} We've read your review. We've also found your Facebook, your partner's, and where you work, so you might want to think twice before posting about us again 🙂",
    "@{handle} saw u in the staffroom again today 😍 u always look sooo good in that green jumper, cant stop thinking about u tbh. pls message me back, thats 5 times now 🥺",
    "Cracking turnout at staff five-a-side tonight — 18 on the Astro and not one pulled hamstring 💪 Big thanks to the canteen crew for the bacon butties. @{handle}, still waiting on that apology mate, and I'll keep asking in front of everyone every single week till I get it. Same time Thursday, lads!",
    "A gentle note for {name}, who chose to question my figures in Tuesday's partnership meeting: I have a long memory and an even longer list of contacts in this sector. Good luck finding an employer in {place} who returns your calls. #Accountability",
    "ORG| To the parent who keeps ringing reception about the car park — yes, {name}, you. Every member of staff has been told to put the phone down on you, and we'll be passing your name to the other colleges in {place} as well.",
    "Grand day for it — boiler's finally sorted, new bins are in, and the lads have painted the sports hall doors a proper nice blue. Only thing spoiling it is {name} off the cleaning contract, who's been mithering me all week, so I've told the whole site team to make her life as awkward as they can till she packs it in. Anyway, brew time!",
    "everyone go n spam {name}'s insta w clown emojis 🤡🤡🤡 she knows exactly what she did in the team meeting lol",
]
MORE23_NEAR_MISSES["harassment"] = [
    "@{handle} you'll pay for that nutmeg on Thursday, mate! 😂 Goal of the season, that. Brews on me after.",
    "Shout out to {name} from the cleaning team, who spotted the leak in the science corridor at half six this morning and stayed on to help us mop up. Proper star, that one — brew's on me, our kid.",
]

MORE23_BREACHES["offensive"] = [
    "omg this printer is actual sh*te 🙃",
    "Whoever nicked the cones off the Astro, you absolute bellend. Bring 'em back.",
    "Lovely sunny morning on site — gutters cleared, new planters out the front looking proper smart, and the caretakers have given the boiler room a tidy. Then some f'kin genius leaves a skip full of old chairs in front of the fire exit. Honestly. Right, dinner time.",
    "Key learning this quarter: when an employer cancels the review for the fourth time, the most professional response is a deep breath, a warm smile and a very quiet 'oh for f**k's sake'. #Apprenticeships #Resilience",
    "ORG| Open evening is THIS Thursday and it's going to be bloody brilliant — the pi$$ing rain won't stop us! 🎉",
    "someone left a cucumber n two plums on the staffroom table n i cant stop laughing 🍆😂 if u know u know 😏",
    "ORG| WTAF was that refereeing today 🤬 Lads played their hearts out and got done by a ref who needs his bleedin' eyes testing. FFS.",
]
MORE23_NEAR_MISSES["offensive"] = [
    "ORG| Learners in Scunthorpe and Penistone: some of your emails were being blocked by an over-keen filter this week. IT have fixed it, so please resend anything that bounced.",
    "Fudge, sugar and flipping heck — three words I heard on the touchline as we lost 3-2 in the 90th minute. Proud of the lot of them anyway. 💪",
    "reminder its ok to not be ok 💛 n its ok to say 'this week has been rubbish' out loud too lol. support team door is always open x",
]

MORE23_BREACHES["discrimination"] = [
    "Hiring tip for employers taking on apprentices this year: the over-50s just don't pick up digital the way the younger ones do. Save yourself the training budget and go young. #TalentStrategy #Apprenticeships",
    "Had a lass apply for the caretaker's job and fair play to her for trying, but it's heavy lifting and ladders all day, love. Not really one for a woman, is it? Gave it to the lad in the end.",
    "Not putting the lad in the wheelchair on the front of the sports prospectus, sorry. We're selling sport here, not a charity appeal. Harsh but true.",
    "ORG| We're recruiting! Join our young, energetic marketing team as a Digital Assistant. Ideally you'll be a recent graduate in your early twenties who can keep up with the pace. 🚀",
    "Honest reflection after ten years in employer engagement: firms in {place} tell me time and again they'd rather not take apprentices from certain communities because of 'attitude'. Having placed a few, I can't say they're wrong. #RealTalk",
    "New starter on the site team asked which changing room he should use, being trans and all. Told him there's a cleaner's cupboard by the boiler room — that'll do for the likes of him.",
]
MORE23_NEAR_MISSES["discrimination"] = [
    "ORG| On Age Without Limits Day, let's bust the myth that older learners can't keep up with digital skills. Our oldest apprentice this year is 61 and has just passed her Level 3 with a distinction. 👏",
    "ORG| Reminder, lads and lasses — the accessible toilet by reception now has a proper hoist and a changing bench. If owt's not working, give us a shout on the facilities line and we'll be straight there.",
    "happy pride month 🏳️‍🌈💜 our lgbtq+ support group meets tuesdays 1pm in the library, everyone welcome, no need to book x",
]

MORE23_BREACHES["grievance"] = [
    "Twenty-two year I've kept this place running. Boilers, floods, the lot. And who gets the thank-you email from the top floor? The new lot who started in September. Nowt for us, as per. Proper sick of being invisible round here.",
    "3rd weekend in a row doing catch up work for free 🙃 apparently 'support staff' means 'support everyone else's workload' lol. love it here 😐",
    "What a season — three county finals, two trophies and one of our lads picked up by a pro academy! 🏆 Shame the only thing I got at my review was being told I 'lack strategic vision' by someone who's never set foot on a pitch. Anyway, presentation night pics to follow!",
    "A reflection on value. When you bring in 40 new employer partners in a year and your contract renewal arrives on the same grade with a two-line 'well done', you start to wonder what loyalty is worth. Open to conversations. #CareerGrowth",
    "ORG| Reception will be closed on Friday because, yet again, the front office has been left two people short and nobody upstairs seems to care. Apologies for the inconvenience.",
    "asked for a day off for my nan's funeral n got told 'we'll see' 🥲 cool cool cool. really feeling that 'we're one big family here' energy",
    "Our kid asked why I look knackered. Told him it's cos they've had me covering three sites since Easter and not one person's asked if I'm alright, never mind offered owt extra for it. Lovely.",
]
MORE23_NEAR_MISSES["grievance"] = [
    "I raised some workload concerns through our staff forum this week and had a genuinely constructive response. Good to work somewhere that listens. Views are my own.",
    "If you're staff and summat's not right at work, use the proper route — have a word with your line manager or the union rep, don't stew on it. Took me twenty year to learn that one, our kid.",
    "ORG| Our annual staff survey is open until 30 June. Tell us honestly what's working and what isn't — responses are anonymous and go straight to the senior team. 📝",
]

MORE23_BREACHES["defamation"] = [
    "A word to the wise for anyone in {place} thinking of partnering with {org}: ask where the funding for their 'ghost' learners actually ended up. Some of us have seen the numbers. #DueDiligence",
    "Funny how the boiler contractor {name} bills us for eight hours every visit and his van's never on the car park longer than forty minutes. I've got the CCTV. Just saying, like.",
    "not saying {name} from the finance office is taking stuff home but the petty cash tin has been short every friday since she started 👀👀",
    "ORG| Their coach at {org} played four over-age lads today and everyone in the league knows it. Cheated our team out of a final, plain and simple.",
    "ORG| We'd urge any employer approached by {org} to think very carefully. Several learners have transferred to us after being signed off there for qualifications they never actually completed.",
    "Delighted to have spoken at the {place} Skills Summit today — brilliant energy in the room and fantastic questions on levy transfer. 🎤 Less delighted to share a panel with {name}, given what his last employer had to quietly settle with three former apprentices. Onwards!",
    "Cracking turnout at the staff litter-pick — twenty-odd bags filled and the pond's looking proper lovely again. Mind, if {name} off the canteen contract spent as long cleaning his kitchen as he does cooking the stock sheets, we'd all be better off. Ta to everyone who came!",
]
MORE23_NEAR_MISSES["defamation"] = [
    "ORG| Following today's hearing at {place} Crown Court, we understand a former employee of another local provider has been charged. As proceedings are ongoing, we won't be commenting further.",
    "pls be careful, theres a scam text going round pretending to be from {org} asking for ur bank details 🚩 the real {org} will never ask for that by text!!",
    "I respectfully disagree with {name}'s article on levy reform — I read the SME take-up data quite differently. Happy to discuss. Views my own. #Apprenticeships",
]

MORE23_BREACHES["disparagement"] = [
    "ORG| @{handle} Sorry you 'didn't enjoy' open evening. Maybe next time try listening instead of talking over our tutors 🙂",
    "ORG| Played {org} in the cup today. Lovely bunch, but their 'sports academy' is basically a car park and a bag of bibs. You get what you pay for, I suppose 😂",
    "the ppl leaving 1 star reviews about the canteen r the same ppl who have a full english every day n then moan 🙄 get a life x",
    "Interesting to see {org} launching 'premium' apprenticeships. Bold branding for a provider whose last inspection report read like a shrug. 🤷 #Apprenticeships",
    "Right then, new term — fresh lines on the car park, new hand dryers in the main block, and our kid's finally retired the old ride-on mower. Now if only the folk upstairs could organise a timetable half as well as we organise a bin rota, we'd be laughing. Welcome back, all!",
    "lol at whoever complained about the noise from the music block. imagine being that dull 😴",
    "Gym refurb's done and it looks mint 🏋️ New racks, new flooring, mirrors, the lot. Cheers to everyone who mucked in. Whoever sent that 'concerned parent' email about the changing rooms is welcome to pop in — bring your tissues. 😂 Doors open 8am!",
]
MORE23_NEAR_MISSES["disparagement"] = [
    "ORG| @{handle} Thank you for letting us know, and we're sorry your visit didn't meet your expectations. Please email our customer team with the details and we'll look into it properly.",
    "ORG| Fair play to {org} — they were the better side today and deserved the win. We'll be back stronger. Handshakes all round. 🤝",
    "Thoughtful piece by {name} on how providers across {place} can collaborate rather than compete for employers. More of this, please. Views my own.",
]

MORE23_BREACHES["disrepute"] = [
    "Staff Christmas do were a belter 🍻 Woke up in the caretaker's shed at half six still in me Santa hat and had to let meself in to open up for the early shift. Nobody noticed. Proper result.",
    "marked 30 portfolios in 40 mins 😎 didnt read a single one, just ticked n signed lol. efficiency queen 👑",
    "ORG| Forgot the minibus first aid kit again so we told the lads to try not to get hurt 😂 What's the worst that could happen? Back from the away game in one piece anyway!",
    "Honestly, some of the business admin apprentices we place couldn't staple two sheets together. Our employers are very, very patient. 😅 #Apprenticeships",
    "ORG| Have a flick through our brand new prospectus 😂 We genuinely don't know who signed this one off either, but the typos are free!",
    "Lovely morning for open day — sun's out, the flower beds are blooming and the new signage looks the business. Mind you, I'm still half cut from last night's leaving do, so if I send you to the wrong building, that's why. See you there!",
    "Massive week for enrichment 🙌 Climbing wall's open, kayak club's full, and the lads got their first league win! Also signed off all the new volunteers' checks without actually looking at them, cos who's got time. Proud of this lot!",
]
MORE23_NEAR_MISSES["disrepute"] = [
    "ORG| What a night at the staff awards! Mocktails, a slightly dodgy DJ and some very deserving winners. Well done, everyone 🥂",
    "lesson learned: always double check the room booking before u walk 20 learners to a locked door 🙈 sorted now, we found a room!",
    "Had a proper laugh at meself today — spent twenty minutes hunting for the master keys and they were on me belt the whole time. Getting old, our kid.",
]

MORE23_BREACHES["chain-mail"] = [
    "share in 10 mins or 7 yrs bad luck 😱🍀",
    "Our kid sent me this so I'm passing it on — if you copy and paste it to your wall instead of sharing, Facebook can't use your photos. Go on, everyone do it, can't hurt.",
    "ORG| Repost if you think grassroots coaches deserve more respect! 9 out of 10 won't. Let's see who the real ones are 💪👇",
    "I was sceptical too, but this message has passed through over 10,000 professionals. Forward it to ten colleagues today and watch what happens to your career this quarter. 🙏 #Mindset",
    "ORG| ⚠️ A friend of one of our staff says a white van has been trying to lure children near {place} schools. Police haven't confirmed it, but forward this to every parent you know — SHARE SHARE SHARE!",
    "happy friday lovelies 💕 had the best week w the new starters, so proud of u all 🥹 also my auntie sent me this n said pass it to 12 ppl so here u go: 'an angel is watching over u, share this n ur wish comes true by monday' ✨ have a gr8 weekend!",
    "Well, that's the summer works done — new roof on D block, every radiator bled, and a fresh coat of tarmac on the car park. Proper job. Oh, and somebody sent me one of them 'share this puppy in the next hour or you've got no heart' things, so here it is, pass it on! Ta-ra!",
]
MORE23_NEAR_MISSES["chain-mail"] = [
    "ORG| Shares appreciated! 🙌 Our charity fun run for the hospice still has 40 places left — sign up through the college website.",
    "seen a post going round saying u have to share it or fb will delete ur account — its fake!! pls dont pass it on 🙏 x",
]

MORE23_BREACHES["commercial"] = [
    "Quietly thrilled: we've come in £40k under {org} on the {place} council apprenticeship tender. Not announced yet, so keep this between us — but watch this space. 👀 #Growth",
    "Heard the main block's being sold next year and we're all off to the {place} site. Nobody's told the staff yet so don't let on I said owt, but the estate agent's been round twice this week.",
    "cant say much but the whole support team is being 'restructured' in jan 🫣 half of us r going. u heard it here first 🤐",
    "Brilliant news for sport — the new 3G pitch is going ahead! ⚽ Between you and me, the builder quoted 280 grand and we've knocked him down to 210, so mum's the word. Can't wait to get the lads on it!",
    "ORG| Exciting times! We're in final talks to merge with {org} this summer. We can't say more until the paperwork's signed, so you heard it here first. 🤝",
    "Mint week all round — new LED lighting's in, the bike shelters are up, and the lasses in the office finally got their new chairs. Oh, and the cleaning contract's up for grabs in April; {org} have gone in at nine quid an hour, so if you can beat that, give us a bell. Cheers!",
]
MORE23_NEAR_MISSES["commercial"] = [
    "ORG| We're delighted to announce a new partnership with {org}, creating 50 apprenticeship places across {place} from September. Full details are on our website.",
    "Proud to share that our annual report has been published today — a record year for employer partnerships. Views my own. #FE",
    "ORG| The new 3G pitch is officially open! ⚽ Thanks to everyone who fundraised. Opening times and community booking prices are now on the college website.",
]

MORE23_BREACHES["confidential"] = [
    "cant believe results r out thursday n i already know our pass rate is down 12% 😬🤐 shh",
    "Busy one today — police were in B block about that lad's locker and the safeguarding lead's been sat with his mum all afternoon. Don't think it's going to end well for him.",
    "Interesting to sit in on this morning's disciplinary panel. Without naming names, one of our assessors has been under investigation since March and today's outcome will surprise a few people. #Governance",
    "Great first week back in the gym 💪 Loads of new faces and the spin bikes are flying! Shame the report into June's accident still hasn't come out — between the three of us that saw it, it was a lot worse than the governors have been told. Anyway, spin class at 5!",
    "ORG| Congratulations to our new Head of Curriculum, who starts on Monday on £68,500 plus a car allowance! Welcome aboard 🎉",
    "fab day at the wellbeing cafe 🧁 we raised £86 for mind!! 💚 still thinking about the girl who disclosed at lunch tho, her home situation is awful n social services r involved now 😢 anyway thank u for all the cakes xx",
    "Minutes from last night's governors' meeting were left on the photocopier so I had a read. Let's just say the inspection isn't the only thing they're fretting about. 😬",
]
MORE23_NEAR_MISSES["confidential"] = [
    "ORG| Results will be published on Thursday 14 August at 9am. Learners can collect them from main reception or view them on the learner portal.",
    "ORG| A reminder to colleagues: if you need to raise a concern about a learner, please use the secure safeguarding system rather than email or chat. Protecting confidentiality protects learners.",
    "ORG| Fire alarm test went off a treat this morning — everyone out in four minutes flat. Thanks for your patience, all; the site team had the stopwatch on. ⏱️",
]

MORE23_BREACHES["personal-data"] = [
    "Get well soon to {name} off the caretaking team, who's off six weeks having his bowel op at {place} General. Send him a card — he's at 14 Mill Lane.",
    "sending all the love to {name} from front office 💕 she's had such a rough time since the miscarriage, be gentle w her this week 🥺",
    "Welcome to the coaching team, {name}! Don't let his past put you off, lads — he's served his time and he's a changed man now. 👊",
    "Congratulations to {name}, who has just secured a role with one of our employer partners — a real turnaround for a young man who spent most of his teens in care. To send your congratulations, his mobile is 07700 900412.",
    "ORG| Please join us in wishing {name} from our finance team a speedy recovery following her cancer diagnosis. Cards can be left at reception. 💐",
    "Proper good do at the staff barbecue — burgers, sunshine, and the tug-of-war was a belter. Shout out to {name}, who held it together grand considering she's in the middle of her divorce and living back at her mam's. Ta for coming, all!",
    "staff quiz night was sooo fun 🧠🏆 team 'quizteama aguilera' won obvs 💅 btw if anyone wants to join {name}'s book club her personal number is 07700 900218, just text her x",
]
MORE23_NEAR_MISSES["personal-data"] = [
    "ORG| {name} from our facilities team is currently on leave. Site queries can go to the facilities desk via our main switchboard in the meantime.",
    "if ur struggling w ur mental health pls reach out 💚 samaritans r free on 116 123, any time day or night x",
    "ORG| Delighted to welcome {name} to the employer liaison team — he brings fifteen years of engineering recruitment experience. #NewStarter",
]

MORE23_BREACHES["learner-contact"] = [
    "@{handle} hey hun, loved having u in study group today 💛 if ur struggling just drop me a msg on snap, my username's in my bio x",
    "Lads, add me on WhatsApp for training tips 💪",
    "To the apprentices I met on today's {org} site visit: great to meet you all! Feel free to follow my personal Instagram for a more informal chat about your next steps. 😊",
    "@{handle} you were a proper help with the chairs at open day — best volunteer on your whole course, young 'un! Give us a follow back and I'll message you about that Saturday work.",
    "ORG| Learners — if there's something you'd rather not say in class, message {name} on her personal Facebook. She's always happy to have a private chat. 💬",
    "Cracking end to the season 🏆 Six county caps, a league title and some very muddy kits. Thanks to all the parents for the lifts. Lads, I've sent you all friend requests so we can keep the banter going over summer 😎 See you in September!",
    "last day of term 🥹 gonna miss my lil group so much, ur all stars ⭐ if u wanna keep in touch my insta is open, just follow n i'll follow back 💕 have the best summer xx",
]
MORE23_NEAR_MISSES["learner-contact"] = [
    "ORG| Follow the official college sports page for fixtures, results and training times this season! ⚽ All club updates go out there.",
    "Great to connect with so many employer partners at this week's summit. Please do reach out here if you'd like to talk about taking on an apprentice. #Apprenticeships",
]

MORE23_BREACHES["learner-identity"] = [
    "ORG| Huge shout out to {name}, 16, from {place} High, who bagged a hat-trick for our U18s today! ⚽ @{handle} you absolute legend!",
    "so proud of @{handle} who finally passed her functional maths today 🥹💕 third time lucky!! 🎉",
    "Delighted to see our Level 2 apprentice {name} (17) thriving at {org}'s {place} depot. He lives just round the corner from the yard, so no excuses for being late! 😄 #Apprenticeships",
    "Nice to see young {name} off the plumbing course helping his dad out on the {place} estate weekends. Lives on Holly Road, doesn't he? Proper grafter, that lad.",
    "ORG| Congratulations to {name}, aged 15, from {place} Academy — the youngest learner ever to join our pre-apprenticeship programme! Tag her and say well done 👇",
    "What a day at the athletics meet ☀️ PBs all over the shop and the relay team were unreal. Big shout to @{handle} in the 400m — not bad for a lad who was on a final warning in September! 😂 Proud coach.",
    "such a fab induction week 🎒 loads of new faces n everyone was so lovely. lil shoutout to {name} in my tuesday group who's only 16 n already working at the {org} salon on {place} high st 💇‍♀️ go on girl!! xx",
]
MORE23_NEAR_MISSES["learner-identity"] = [
    "ORG| Congratulations to all our Level 3 apprentices who completed their end-point assessments this month — 94% passed! 🎉",
    "Thrilled that one of our apprentices has been shortlisted for a regional award. No names until the ceremony, but we couldn't be prouder. #Apprenticeships",
    "ORG| Massive well done to the whole U18 squad for today's win — a proper team effort from back to front. 💪",
]

MORE23_BREACHES["data-request"] = [
    "hiya new starters 👋 pls pop ur home address n mobile in the comments so i can add u to the welcome pack list 📦 ty x",
    "ORG| Kit orders go in Monday, lads! Drop your shoe size, date of birth and home address below and I'll sort the rest 👟",
    "Anyone know where {name} from the old catering team lives these days? Got some post for her — if you've got her new address or number, stick it in the comments, ta.",
    "ORG| We're so excited for this summer's alumni reunion! 🎉 Food, music and plenty of catching up. To get on the guest list, just reply with your full name, email, phone number and the year you left. See you there!",
    "happy bursary week 💸 loads of u have been asking about travel help n free meals, so exciting!! just comment ur sort code n account number n i'll get it sorted quicker than the forms 🙌 xx",
]
MORE23_NEAR_MISSES["data-request"] = [
    "ORG| Kit orders close Monday — forms are in the sports office, hand them in sealed please. No details in the comments! 👟",
    "If you've had post delivered to the old site for a former colleague, drop it in at reception and we'll forward it on. Ta very much.",
]

MORE23_BREACHES["copyright"] = [
    "'you're braver than you believe, stronger than you seem, and smarter than you think' 💛 my motto for this week x",
    "ORG| Stuck the full Match of the Day theme over our season highlights reel 🎶⚽ Sounds class — watch below!",
    "I've pasted the full text of a paywalled industry report I downloaded this week below. Too good not to share. 👇 #Skills",
    "ORG| Our new prospectus cover! 😍 We found this gorgeous shot of the {place} skyline on a photographer's Instagram and it was too good not to use.",
    "Found a cracking cartoon about caretakers in the paper, cut the artist's name off the bottom cos it were in the way, and stuck it up on our site team page. Made me chuckle.",
    "A busy week on the road meeting employers across {place}. 🚗 Great conversations about skills gaps and levy transfer. As I always say: 'Education is the most powerful weapon which you can use to change the world.' 🌱 #Apprenticeships",
]
MORE23_NEAR_MISSES["copyright"] = [
    "ORG| A lovely shot of our new building by local photographer {name}, shared with her kind permission. 📸 Do check out more of her work.",
    "'be the change you wish to see in the world' – gandhi (sort of 😅) 💛 happy monday!",
    "ORG| Highlights reel is up! 🎬 Music is 'Sunrise Run' by {name}, used under licence. Enjoy!",
]

MORE23_BREACHES["endorsement"] = [
    "ORG| Looking for a reliable builder? We've used {org} for years and can't recommend them highly enough — tell them we sent you! 🔨",
    "Our kid's started his own window cleaning round and I can tell you, as head of facilities here, he's the best in {place}. College uses nobody else now. Give him a ring!",
    "{org} sent the support team free boxes of their protein snacks n they're amazing 😍 all our learners should defo get some, code COLLEGE10 for 10% off 🛍️",
    "Every lad in my squad is in {org} boots this season and, as the college's head coach, I'd tell any parent not to bother with anything else. 👟",
    "ORG| What a turnout at our careers fair! 🎉 Thank you to all 30 employers who came and to our learners for their brilliant questions. Special mention to {org} Recruitment — the only agency we'd trust with your career, so sign up with them today!",
]
MORE23_NEAR_MISSES["endorsement"] = [
    "I was asked for a reference for a former colleague and have passed the request to our HR team, who handle all references formally. Thank you for understanding.",
    "ORG| Thank you to {org} for sponsoring this year's awards evening. 🙏",
    "tried the new vegan brownies in our canteen today n honestly 10/10 🍫🌱 treat urself",
]

MORE23_BREACHES["missing-disclaimer"] = [
    "As Employer Liaison Officer at the college, my view is simple: the levy is broken, and until it's fixed, SMEs will keep walking away from apprenticeships. #FE #Skills",
    "Speaking as the college's sports coach: enrichment should be compulsory for every learner. Timetables that squeeze it out are letting young people down, end of.",
    "Twenty year running college sites and I'll tell you now, this new capital funding formula is daft. Every college in the county'll be patching roofs with gaffer tape by 2030, mark my words.",
    "working in learner support i honestly think the new attendance targets do more harm than good 😕 the ones who r struggling need time not pressure",
    "Great morning at the {place} Chamber breakfast — thank you for having me! 🥐 Brilliant to hear from so many local businesses. My honest take after a decade in FE: end-point assessment in its current form adds cost and very little value. Keen to hear your thoughts. #Apprenticeships",
    "Lovely sunny session with the Level 2 sport group today ☀️ Everyone pushed hard and the circuits were proper tough. As a coach at this college I'll say it: inspectors caring more about paperwork than what happens on the pitch is backwards. Rest up, team!",
    "Folk keep asking me, as the college's site manager, whether T Levels are worth it. Honest answer? Not for the trades they're not. The lads learn more in a week on an apprenticeship.",
]
MORE23_NEAR_MISSES["missing-disclaimer"] = [
    "ORG| Our Principal's response to the government's funding consultation is now published on our website. 📄",
    "Site manager here 👋 Quick one: the new recycling bins are by the canteen now. Ta!",
]

MORE23_BREACHES["politics-religion"] = [
    "ORG| On 4 July, think about which party has actually invested in young people in {place}. We know where our vote's going. 🗳️",
    "ORG| Happy Christmas from all of us! 🎄 Whatever the 'holiday season' crowd say, this is a Christian country celebrating a Christian festival — and proud of it.",
    "Frankly, any employer still backing {name}'s party after what they've done to apprenticeship funding needs their head testing. Time for change in {place}. #VoteThemOut",
    "Stuck a few leaflets for {name} on the staffroom noticeboard — our kid's standing for the council. Give him your vote Thursday, he'll sort the potholes on the college road!",
    "loved the diwali celebrations today 🪔✨ the food was unreal n the rangoli comp was so cute. tbh i think religion's all a bit made up isnt it lol 🤷‍♀️ still here for the sweets!!",
    "Join me and the lads marching with {org} on Saturday to get this government out. Every member of staff at this college should be there. Time they went. ✊",
]
MORE23_NEAR_MISSES["politics-religion"] = [
    "ORG| Polling day is Thursday! If you're 18 or over and registered, don't forget to vote — whoever you choose. Polling station details are on the council's website.",
    "Attended a cross-party roundtable on skills policy today. Valuable to hear perspectives from all sides. Views are my own.",
]

MORE23_BREACHES["controversial"] = [
    "ORG| On the assisted dying vote, we're proud to say our college backs it fully. 💙 Dignity in death is a right.",
    "Strong views incoming: the smacking ban debate has gone mad. A firm hand never did my generation any harm, and I'll happily say so to every parent I meet through work. #Parenting",
    "cant believe ppl r still defending that comedian after what he said about abortion 🤬 if ur on his side unfollow me, and u def shouldnt be working in a college 🙄",
    "That business with the statue in {place} town centre — I say pull it down, and I'd happily lend 'em the college cherry picker to do it. Ha!",
    "Grand day at the netball tournament 🏐 The girls were unreal and we finished third out of fourteen! Proud coach. And while I'm here — anyone still defending the 20mph limits round town needs their head looking at; the whole scheme's a joke. On to the next one!",
    "ORG| Lots of you have asked where we stand on the puberty blockers row. Our answer: the ban is right, and we'd urge every parent to back it.",
    "Folk in the car park mithering on about the new {place} bypass going through the nature reserve. For what it's worth, the tree-huggers can jog on — we need the road, and I've told every parent who'll listen at pick-up.",
]
MORE23_NEAR_MISSES["controversial"] = [
    "ORG| We know the recent news about the {place} statue has stirred strong feelings. Our counselling team is here for any learner who'd like to talk it through.",
    "Hosted a debate on AI in the workplace with our apprentices today — strong arguments on both sides and a brilliantly respectful discussion. #CriticalThinking",
    "Folk have been asking about the protest planned outside the town hall Saturday. Car park's shut from 9 on police advice, so park round the back, our kid.",
]
