# ruff: noqa: E501, RUF001 (hand-written posts: long lines and typographic dashes are the data)
"""An eleventh writer's posts for the learned policy detector: disrepute, learner-identity and
defamation.

The disrepute breaches are mostly staff on personal accounts (and a handful of careless ORG| admins)
letting the organisation down in ways that are easy to read past: understated hangovers and blurry
work nights, assessment and register malpractice dressed up as professional tips, captioned photos
(a lanyard in a lap-dancing club, a branded fleece at a protest that turned rowdy), cutting corners
with children and vulnerable adults, joke gossip about the organisation's money, posting from work
about not working, poking through learners' data for fun, mocking the organisation's own marketing,
its clients and learners in general, reckless driving in the branded van and betting on work time.
Its near misses are honest mistakes owned and corrected, calm nights out, charity events in branded
t-shirts, self-mockery, tired but professional end-of-term posts, weekend drinks with no link to work
and pride in learners' success. The learner-identity breaches tag learners or name them with age,
school, home town, employer or class, on personal and organisational accounts; its near misses
celebrate cohorts without names, share stories with stated consent, celebrate staff achievements and
tag employer partners' company accounts. The defamation breaches accuse an identifiable person or
organisation of fraud, lying, abuse, theft, cheating or bribery, outright or by insinuation; its near
misses are attributed news and court reports, scam warnings naming nobody, fair reviews and
accusations aimed at no identifiable person. Each post was written on its own, from the policy, not
from earlier posts.

{name} is replaced by a person's name, {org} by an organisation, {place} by a town,
{handle} by a handle (make_policy_train.py fills them).

Written in session 19 and tried once then; in training/data/policy_train.jsonl since session 20
(training/README.md, sessions 19 and 20).
"""

from __future__ import annotations

MORE11_BREACHES: dict[str, list[str]] = {}
MORE11_NEAR_MISSES: dict[str, list[str]] = {}

MORE11_BREACHES["disrepute"] = [
    "Low-key works do last night. Somehow woke up on a bench in {place} still wearing the lanyard 🤷",
    "Top tip for assessors: if the learner can't evidence it, just write up what they probably did and sign it off. Saves everyone a headache.",
    "📸 Me and the lads at the lap-dancing club in {place} last night – lanyard still on because we came straight from the DMM awards 😅",
    "Wore my DMM fleece to the march in {place} today. Things got a bit lively by the town hall, a few bins went over, I may have helped 😬",
    "Safeguarding refresher says never be alone with an under-18 learner in a closed room. Did three 1:1s today, door shut, blinds down. Rules are for inspection week.",
    "DBS still hasn't come back but they've had me doing solo visits to the 16-year-olds' workplaces for a month. Not complaining, easy mileage.",
    "Rumour in the staff room is the directors sold the minibus to pay the gas bill 😂 honestly wouldn't surprise me. CVs at the ready, team.",
    "11am, training room, Netflix on the big screen because nobody turned up. Don't tell the boss 🍿",
    "Day 3 of 'marking portfolios' (read: fantasy football and a sausage roll). Love this job.",
    "Bored so I sorted the whole learner spreadsheet by date of birth to see who shares my star sign. Six Scorpios this cohort, chaotic energy 😂",
    "We put the enrolment list up on the projector at the staff party and voted for the best and worst surnames. Still crying 😂",
    "New brochure says 'industry-leading mentoring'. Mate, half of us learnt Google Ads off YouTube last week 😂",
    "Just saw our advert on the side of a bus in {place}. 'Transform your career in 12 weeks.' Not sure we've transformed anyone's anything, but lovely font.",
    "Marked 40 assignments today. Pretty confident half this cohort think SEO is a boyband.",
    "Apprentices these days can't send an email without asking ChatGPT how to say hello 🙄 and we're meant to turn them into marketers",
    "Pic: speedo on 98 on the M6 in the DMM van, late for an induction in {place}, no regrets 🏎️",
    "Replying to emails one-handed on the A14 in the work van. Multitasking queen 👑",
    "Tenner accumulator at lunch, another one during the 2pm observation. Learner was presenting, I was watching the 2:40 at Kempton 🐎",
    "Sneaky roulette spin on the work laptop between assessments. Up £60. Best CPD I've done all year.",
    "ORG|Friday feeling at DMM HQ 🍾 prosecco's been flowing since eleven and nobody's touched the phones since. Cheers, learners!",
    "ORG|Our tutors are 'working from home' this afternoon, by which we mean the beer garden at the Red Lion. Happy Friday! 🍻",
    "Bit of a blur, the away day with {name}. Apparently I sang to a police horse.",
    "Left the work laptop in a taxi again. Third time this year. Oops. Learner files and all 🙈",
    "Standards verification tomorrow so I'm currently backdating thirty progress reviews with four different pens 😅 #assessorlife",
    "Learner hadn't logged any off-the-job hours so we just wrote 'shadowing' for every Friday since September. Funding's funding.",
    "Learner messaged at 4pm begging for help with her final project. Left her on read till after the deadline. Character building.",
    "That's me on the left in the DMM polo, being walked out of Ascot by two security guards. Long story, great day 🥂",
    "Throwback to the residential in {place}: staff in the hot tub with a crate at 2am while the under-18s were 'supervised' by the night porter 😂",
    "Took the work card to the Harvester in {place} for my birthday. Will put it down as a stakeholder lunch, nobody checks the expenses anyway.",
    "Dozed off during a learner's review call. Woke up, they'd hung up. Signed it off as completed 👍",
    "Pro tip for new tutors: copy last year's feedback comments into this year's portfolios and change the names. Nobody reads them.",
    "For anyone prepping learners for EPA: the observation checklist only gets sampled one in ten, so you can tick through the other nine without watching.",
    "Had a learner with learning difficulties today who kept asking questions, so I told him the wifi was down and we finished early. Works every time 😂",
    "That safeguarding form for the 15-year-old who told me stuff on Monday? Still in my bag. I'll get round to it.",
    "Three pints at lunch with {name} then delivered the afternoon analytics session. Genuinely my best one yet 🍺",
    "Hungover teaching again. The learners can tell. The learners don't care. Neither do I.",
    "Overheard {name} on the phone to the bank again. Place is held together with Blu Tack and prayers 🙏 #jobsecurity",
    "Lanyard and all, that's me dancing on the bar at Revolution in {place}. Work do. Would lose my dignity again.",
    "Call me a brand ambassador: DMM hoodie, three sheets to the wind, singing Oasis outside a kebab shop at 3am 🎤",
    "Did my online shopping on the projector while the class watched. 'Live e-commerce case study', I said. They bought it. So did I 😎",
    "When the boss is off sick this office turns into a LAN party. Day two of Mario Kart, zero emails sent.",
    "Latest ad says 'every learner matters'. Tell that to the one whose portfolio I've forgotten to mark for six weeks 😂",
    "Clients like {org} want a 'full digital strategy' for two hundred quid and a bacon roll. I just send them a Canva template and invoice.",
    "We charge employers for 'bespoke' workshops. Same slide deck every time, logo swapped on slide one. Business genius.",
    "Used the learner database to work out which apprentice lives nearest the best chippy. Important research 🐟",
    "Me and {name} spent the afternoon googling everyone on the new register to see who has the most embarrassing Facebook. We have a winner.",
    "Went out to {org} for a learner's observation, ended up having two pints with his manager instead. Outcome: 'excellent'.",
    "Work laptop has seen things this weekend.",
    "Minor disagreement between the DMM van and a bollard in {place}. Bollard's fine. Van less so. Not reporting it 🤫",
    "Nobody told me the observation was today so I winged the session with a stinking hangover and a Greggs. Outstanding, obviously.",
    "Camera off, mic muted, doing the Tesco shop while my online class worked through the slides. Learners none the wiser 🛒",
    "ORG|Assessor tip of the week: if a portfolio is 'nearly there', it's there. Tick and go! ✅",
    "ORG|POV: it's 3pm on a Friday and the whole team is down the bookies for the Grand National 🏇 Learners, we'll get back to you Monday!",
    "ORG|Our learners: can't spell 'algorithm' but can name every Love Island couple since 2015 😂 #studentlife",
    "Wrote the safeguarding quiz answers on the whiteboard so the new starters all passed first time. 100% compliance 💯",
    "Never mind the minibus risk assessment, the kids will be fine in the back with the boxes 🤷 #tripday",
    "Lone working policy says text a colleague after every home visit. I just send 'done' at 9am for the whole day. Same thing.",
    "Support plan said she needed extra time in the exam. I forgot, she didn't ask. Swings and roundabouts 🤷",
    "Fire drill at the {place} centre so I marched the learners to Wetherspoons instead of the assembly point. Team building 🍻",
    "That bloke in the viral clip chucking a traffic cone at the police in {place} on Saturday? Same hoodie as mine, funnily enough. Same logo too 👀",
    "Staff Christmas party pic: me asleep under the table clutching a DMM mug of something that definitely wasn't tea.",
    "Sleeping in the work van again.",
    "Register? I just guess.",
    "Marked them drunk. Still passed.",
    "Honest review of my first year assessing: if you bring the IQA biscuits they sample the nice portfolios, the off-the-job log is basically creative writing, and nobody checks you actually visited the workplace if you post a selfie in its car park. Ten out of ten, would coast again. Here's to year two 🥂",
    "Apparently you're not supposed to vape in the learner toilets. Found that out today from a 17-year-old. Whoops.",
    "Parents' evening survival guide: nod, say 'they're making great progress', move on. I haven't actually met half of these kids.",
    "Sorry to whoever was behind me through {place} in the DMM van this morning. Yes I was eating cereal. Yes I was steering with my knee.",
    "Grand National sweep: done. Cheltenham bets on: done. Learner reviews: tomorrow, probably.",
    "Online poker open on the second screen through the whole team meeting. Folded twice when {name} asked me a question 😂",
    "Our 'award-winning' mentoring – the award's from a website that charges £99 to enter. Keep that one quiet 🤐",
    "Yes, that's my DMM name badge in the photo, face down in a fountain in {place} on the stag. Pretty sure the badge made the local paper.",
    "Learners keep asking why their certificates haven't turned up. Truth is I haven't claimed them yet. Memes come first.",
    "Our apprentices are basically unpaid interns who think TikTok is a career plan. Anyway, enrolment's open! 😂",
]

MORE11_NEAR_MISSES["disrepute"] = [
    "Got a learner's review date wrong last week and she turned up to an empty room. Apologised, rebooked, and I now double-check every invite. Lesson learned.",
    "Lovely team meal in {place} last night – great food, soft drinks for the drivers, everyone home by eleven. Proud of this lot.",
    "We did it! 🪂 Five of the DMM team jumped out of a plane at 10,000 ft in our branded t-shirts and raised £3,400 for Macmillan. Thank you to everyone who sponsored us.",
    "No comment on my karaoke. None.",
    "Looked back at my whiteboard from today and genuinely couldn't read my own writing. Typed notes are on the portal, sorry all 😂",
    "End of term. Tired, a bit hoarse and very proud of this group. Reviews done, portfolios in, see you all in January.",
    "My cousin's wedding on Saturday – two glasses of fizz, a lot of terrible dancing, taxi home by midnight. Perfect day 💍",
    "So proud of one of our apprentices who passed her EPA with distinction today. All her hard work, none of my credit 🎉",
    "Correction to yesterday's post: enrolment closes on the 14th, not the 4th. Updated above – sorry for any confusion.",
    "ORG|Our team bowling night raised £420 for the local food bank. Strikes were few, smiles were many 🎳",
    "Confession: I used to rush feedback at the end of the day. This term I blocked out proper time for it and the learners noticed. Small change, big difference.",
    "Pub quiz in {place} with the team. Came last. Fully deserved. Lemonade all round.",
    "Christmas do was lovely – meal, secret santa, home by ten. Getting old 🎄",
    "Half-marathon in the DMM running vests this morning! 2:14 and a slight limp, but £600 for the hospice 🏃",
    "My handwriting on the feedback sheets looks like a spider fell in the ink. Apologies, cohort 4 – I'll type them from now on.",
    "Missed a learner's email over half term and she had to chase me. Apologised and sorted it within the hour. Out-of-office reminder set for next time.",
    "Long week. Coffee levels critical. Every session delivered and every review logged though. Weekend, come to me.",
    "Off to Newcastle for my brother's stag this weekend. Phone off, back Monday 🍻",
    "Family barbecue, one beer, too much sun. Lovely Sunday.",
    "Watching one of our learners pitch her campaign to a real client today was the highlight of my year. She was brilliant.",
    "ORG|Congratulations to our latest Level 3 Digital Marketing cohort – 18 passes, 7 distinctions! 🎓",
    "Tried to demo a live ad campaign in class and the wifi died. The learners explained it back to me from memory. Teaching works both ways 😂",
    "Did a speed awareness course this week after 36 in a 30 in my own car. Fair cop. Slower from now on.",
    "Grand National sweepstake at home with the kids, 50p a horse. Mine fell at the first. Classic.",
    "Team away day: a walk up Pen y Fan, sandwiches at the top and a very honest chat about what we'd do differently next year. Good day.",
    "Got a learner's name wrong at the certificate ceremony in {place}. Found her afterwards to apologise; she laughed and said her nan does it too. Still mortified.",
    "Leaving do for {name} tonight – twenty years in training! Pizza, speeches and a lot of happy tears.",
    "Bank holiday pint in the garden. Not thinking about portfolios. At all.",
    "ORG|Our staff wore their DMM t-shirts for the {place} 10k today and raised over £1,000 for Mind. Thank you for all the cheers on the route!",
    "Three years ago I failed my own assessor qualification first time round. This week I became an IQA. Keep going, folks.",
    "Shout-out to my colleague {name}, who stayed late to help a learner finish her portfolio before the deadline. That's the job.",
    "Honest reflection: I over-promised on marking turnaround this term. From now on learners get a realistic date and I stick to it.",
    "Fancy dress for Children in Need – I make a very unconvincing Pudsey. Donations link in bio 🐻",
    "Last portfolio of term marked. Every single one passed. Off to make a cup of tea and stare at a wall.",
    "Karaoke at the team social. I will not be sharing footage. I will not be taking questions.",
]

MORE11_BREACHES["learner-identity"] = [
    "Massive well done to @{handle}, just 16 and straight out of {place} High, now our youngest apprentice! 🎉",
    "Proud of our learner {name} (17, from {place}) who's just landed a job at {org}!",
    "ORG|Meet {name}, 19, from {place} – our Level 3 apprentice at {org} who's just smashed her first campaign!",
    "So proud of my apprentice @{handle} today 💙 functional skills maths passed at the third attempt!",
    "Shout-out to {name} from the Thursday Level 2 group, who finally got his Google Analytics cert. Told you you could do it!",
    "Our learner @{handle} has had a tough year but she's still here, still showing up. Proud of you.",
    "Look who's just been promoted at {org}! Our apprentice {name} from the Tuesday night cohort 🙌",
    "Happy 18th to our apprentice @{handle}! Hope {place} is ready for you tonight 🎂",
    "ORG|Congratulations to Ellie Marsh, 17, a former pupil of St Bede's in {place}, on finishing her Digital Marketing apprenticeship!",
    "Tagging my star learner @{handle} – she built the whole social strategy for the bakery she works at on Station Road. Go and give them a follow!",
    "Our youngest learner this year is Callum, 16, who lives just round the corner from our {place} office. Welcome aboard!",
    "Big up @{handle} and @{handle2}, my two apprentices from the {org} cohort, for presenting to the directors today 💪",
    "Well done to Priya Shah in my Wednesday Level 4 class – top mark in the whole group!",
    "ORG|Apprentice of the month: {name}, 18, who works at {org} in {place} and studies with us every Friday. Say hi to her @{handle}!",
    "Bumped into our apprentice Jake (16, from {place}) on the tills at Tesco – he's doing great, say hello if you see him!",
    "Learner spotlight: Amira, 20, studying with us alongside her job at the Co-op in {place}. Couldn't be prouder.",
    "Our learner @{handle} just signed her first paying client! 🥳 Everyone else in the cohort, this is what hard work looks like.",
    "Congrats to {name} from {place} College, who joined our Level 2 this week aged 16. Welcome to the family!",
    "Which of our apprentices works at the new Greggs in {place}? That's right, @{handle}! Go and get your sausage roll from her.",
    "Two of my learners, Sophie and Tom from the Monday evening group, both passed today. Both 17, both legends.",
    "Emotional at {name}'s graduation – our apprentice at {org}, first in his family to get a qualification ❤️",
    "Tagging @{handle} because this lad from our Thursday cohort has just built his first website at 16!",
    "ORG|Shout-out to Jasmine, Ryan and Leo from Year 11 at Oakfield School, who spent their work experience week with us!",
    "Proud tutor moment: my apprentice {name}, 19, from the estates team at {org}, presented her analytics report to the board today.",
    "Our new apprentice @{handle} starts at the {place} office on Monday. Give her a warm welcome – she's only just left school!",
    "Mia Thompson, 18, from Highfield in {place}, is officially a qualified digital marketer. Our learner since she was 16!",
    "Good luck to my learner @{handle} with her end-point assessment tomorrow – you've got this! 🍀",
    "Hands up who's proud of Ben from my Tuesday group, who now runs all the socials at Harper's Garage in {place}? 🙋",
    "ORG|Meet the class of 2024! Front row, left to right: Liam (17, {place}), Grace (16, Stockport) and Ahmed (18, Salford).",
    "Congrats @{handle} – our former apprentice and {org}'s newest social media exec! Don't forget where you started 😉",
]

MORE11_NEAR_MISSES["learner-identity"] = [
    "One of our learners (who asked us to share this) has just launched her own agency. Amazing stuff.",
    "Just passed my own Level 5 in Leadership and Management! Two years of evenings, worth every one 🎓",
    "ORG|A big thank you to our employer partner @{handle} for hosting this year's apprentice showcase.",
    "ORG|Names shared with permission: Sam went from a warehouse job to a digital marketing role in 18 months, and he's agreed to tell his story on our blog.",
    "My Tuesday group all handed their portfolios in early this week. Best cohort I've taught.",
    "ORG|Thank you to {org} for taking on five of our apprentices this year – a brilliant partnership.",
    "Honoured to be named Tutor of the Year at the {place} Skills Awards. Thank you to my colleagues!",
    "ORG|Shared with their written consent: congratulations to Zara and Kieran, our Apprentices of the Year 2024!",
    "A learner told me today the course changed her life. I won't say who, but I'll remember it for a long time.",
    "ORG|Another record year for distinctions. Well done to all our learners across the North West.",
    "Ten years at DMM today, and celebrating it with my colleague {name}, who started the same week 🎉",
    "ORG|Looking for a digital marketing apprenticeship? Our partners @{handle} are recruiting – apply through their website.",
    "Our apprentices this year came from 14 towns and 30 different employers. A brilliant, varied bunch.",
    "ORG|Learner story, shared with her consent: Hannah went from first-day nerves to leading a client pitch. Read the full piece on our blog.",
]

MORE11_BREACHES["defamation"] = [
    "{name} at {org} has been fiddling the apprenticeship funding for years. Everyone knows it, nobody will say it.",
    "Worth asking how {org} hit a 100% pass rate when half their learners never turned up. Brown envelopes, anyone?",
    "Don't trust {name}. Lied to my face about the contract, then lied to the auditors. Pathological.",
    "Interesting that {name} landed the regional contract two weeks after that 'golf weekend' with the commissioner. Just saying 👀",
    "The assessor from {org} signed off my learner without even watching the observation. That's fraud, plain and simple.",
    "Heads up: {name}, manager at the {place} Costa, has been pocketing his staff's tips for months.",
    "Our old IT supplier {org} billed us for licences we never had. Thieves.",
    "Funny how {name}'s 'first-class degree' doesn't show up on any university's records. Wonder who else has noticed.",
    "{org} in {place} are abusing their apprentices – 60-hour weeks, unpaid overtime, and threats for anyone who complains.",
    "Everyone at the awards knew {name} bought that trophy. The judges were all his golf mates.",
    "The money for the {place} youth project went somewhere, and it wasn't the youth. Ask {name} where his new Range Rover came from.",
    "The director of {org} cheated on her own Level 5 – a friend wrote her assignments. I've seen the emails.",
    "Ex-colleague {name} walked off with a laptop on his last day and is now flogging our course materials on eBay.",
    "Thinking of using {org} for your training? Know that they falsify their inspection evidence. I worked there.",
    "Can't believe {name} is still coaching kids after what happened at his last club. Parents in {place}, ask questions.",
    "The tutor at {org} who 'lost' all the exam scripts? Funny how every one of her learners passed anyway 🤔",
    "{name} took a backhander to hand {org} the catering contract. Happy to be sued, it's true.",
    "Our landlord @{handle} kept the whole deposit and forged the inventory. Criminal.",
    "Not naming names, but the head of quality at our biggest competitor in {place} has been making up learner destination data for three years. You know who you are.",
    "{org} charged every learner £250 for 'materials' that turned out to be a photocopied booklet. Scam artists, the lot of them.",
    "So {name} 'left to pursue other opportunities'. He was marched out for fiddling his expenses, let's be honest.",
    "Reminder that the founder of {org} was caught lying to the funding agency about learner numbers and somehow still holds a contract.",
    "Watch your purse around {name} from accounts. Petty cash never balances when she's in. Just saying.",
    "The chair of governors at {place} Academy has been bullying staff out for years and the trust is covering for him.",
    "Me in the front row while {name} gives a talk on ethics after plagiarising her entire book 🍿",
]

MORE11_NEAR_MISSES["defamation"] = [
    "BBC News reports that a training provider in the Midlands has been fined over funding irregularities, according to the ESFA. Worth reading the full article before sharing.",
    "Scam warning: texts claiming to be from 'your apprenticeship provider' asking for bank details are fake. We'll never ask for that by text.",
    "Fair review of {org}'s Level 3 course: strong content, tutors knew their stuff, but the online portal was clunky. 4/5.",
    "Someone keeps nicking the milk from the staff fridge. Whoever you are, your days are numbered 🥛😂",
    "According to the Guardian, the company at the centre of last week's data breach says it is cooperating fully with the ICO.",
    "Beware websites selling 'official Google certification' for £300 when the real course is free. Always check the official site.",
    "The {place} Echo reports that a local man was convicted of fraud at the Crown Court yesterday; sentencing is next month, the paper says.",
    "Watched a crime drama last night where the villain ran a dodgy training college. Brilliant writing, slightly too close to home 😂",
    "Delivery from {org} turned up late this week, but their customer service sorted it quickly and apologised. Credit where it's due.",
    "Phishing emails are going round pretending to be from HMRC about 'apprenticeship levy refunds'. Don't click – report them.",
    "Somewhere out there is the person who invented reply-all. I will never forgive them.",
]
